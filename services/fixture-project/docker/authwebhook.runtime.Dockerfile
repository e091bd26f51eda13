# Stand-in for kubernaut's docker/authwebhook.runtime.Dockerfile: packages a binary cross-built beforehand
# (`make cross-build-authwebhook`). E2E setups build docker/authwebhook.Dockerfile instead.
FROM scratch
ARG BINARY=cmd/authwebhook/README.txt
COPY ${BINARY} /authwebhook
