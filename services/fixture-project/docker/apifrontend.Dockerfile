# Stand-in for kubernaut's docker/apifrontend.Dockerfile (build context: the repository root). The real one
# compiles ./cmd/apifrontend in a Go builder stage; this one is FROM scratch so it builds with no registry.
FROM scratch
ARG GOFLAGS=""
ARG GOARCH=amd64
LABEL io.kubernaut-e2e.fixture="apifrontend"
COPY cmd/apifrontend/ /app/
