# Stand-in for kubernaut's docker/gateway.runtime.Dockerfile: packages a binary cross-built beforehand
# (`make cross-build-gateway`). E2E setups build docker/gateway.Dockerfile instead.
FROM scratch
ARG BINARY=cmd/gateway/README.txt
COPY ${BINARY} /gateway
