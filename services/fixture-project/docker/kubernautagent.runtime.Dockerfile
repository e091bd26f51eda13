# Stand-in for kubernaut's docker/kubernautagent.runtime.Dockerfile: packages a binary cross-built beforehand
# (`make cross-build-kubernautagent`). E2E setups build docker/kubernautagent.Dockerfile instead.
FROM scratch
ARG BINARY=cmd/kubernautagent/README.txt
COPY ${BINARY} /kubernautagent
