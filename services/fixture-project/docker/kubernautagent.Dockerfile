# Stand-in for kubernaut's docker/kubernautagent.Dockerfile (build context: the repository root). The real one
# compiles ./cmd/kubernautagent into /kubernautagent in a Go builder stage; this one is FROM scratch so it builds with no registry.
FROM scratch
ARG GOFLAGS=""
ARG GOARCH=amd64
LABEL io.kubernaut-e2e.fixture="kubernautagent"
COPY cmd/kubernautagent/ /app/
