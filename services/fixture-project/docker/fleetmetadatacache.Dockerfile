# Stand-in for kubernaut's docker/fleetmetadatacache.Dockerfile (build context: the repository root). The real one
# compiles ./cmd/fleetmetadatacache in a Go builder stage; this one is FROM scratch so it builds with no registry.
FROM scratch
ARG GOFLAGS=""
ARG GOARCH=amd64
LABEL io.kubernaut-e2e.fixture="fleetmetadatacache"
COPY cmd/fleetmetadatacache/ /app/
