# Stand-in for kubernaut's docker/signalprocessing-controller.runtime.Dockerfile: packages a binary cross-built beforehand
# (`make cross-build-signalprocessing`). E2E setups build docker/signalprocessing-controller.Dockerfile instead.
FROM scratch
ARG BINARY=cmd/signalprocessing/README.txt
COPY ${BINARY} /signalprocessing-controller
