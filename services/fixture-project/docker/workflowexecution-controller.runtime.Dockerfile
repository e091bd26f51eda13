# Stand-in for kubernaut's docker/workflowexecution-controller.runtime.Dockerfile: packages a binary cross-built beforehand
# (`make cross-build-workflowexecution`). E2E setups build docker/workflowexecution-controller.Dockerfile instead.
FROM scratch
ARG BINARY=cmd/workflowexecution/README.txt
COPY ${BINARY} /workflowexecution
