# Stand-in for kubernaut's docker/remediationorchestrator-controller.runtime.Dockerfile: packages a binary cross-built beforehand
# (`make cross-build-remediationorchestrator`). E2E setups build docker/remediationorchestrator-controller.Dockerfile instead.
FROM scratch
ARG BINARY=cmd/remediationorchestrator/README.txt
COPY ${BINARY} /remediationorchestrator-controller
