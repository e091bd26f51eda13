# Stand-in for kubernaut's docker/notification-controller.runtime.Dockerfile: packages a binary cross-built beforehand
# (`make cross-build-notification`). E2E setups build docker/notification-controller.Dockerfile instead.
FROM scratch
ARG BINARY=cmd/notification/README.txt
COPY ${BINARY} /manager
