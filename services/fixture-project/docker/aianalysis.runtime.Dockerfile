# Stand-in for kubernaut's docker/aianalysis.runtime.Dockerfile: packages a binary cross-built beforehand
# (`make cross-build-aianalysis`). E2E setups build docker/aianalysis.Dockerfile instead.
FROM scratch
ARG BINARY=cmd/aianalysis/README.txt
COPY ${BINARY} /aianalysis-controller
