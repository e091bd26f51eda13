# Stand-in for kubernaut's docker/data-storage.runtime.Dockerfile: packages a binary cross-built beforehand
# (`make cross-build-datastorage`). E2E setups build docker/data-storage.Dockerfile instead.
FROM scratch
ARG BINARY=cmd/datastorage/README.txt
COPY ${BINARY} /data-storage
