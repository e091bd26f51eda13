# Stand-in for kubernaut's datastorage image: FROM scratch so it builds with no registry.
FROM scratch
ARG GOFLAGS=""
ARG GOARCH=amd64
LABEL io.kubernaut-e2e.fixture="datastorage"
COPY cmd/datastorage/ /app/
