# Stand-in for kubernaut's docker/remediationorchestrator-controller.Dockerfile (build context: the repository root). The real one
# compiles ./cmd/remediationorchestrator into /remediationorchestrator-controller in a Go builder stage; this one is FROM scratch so it builds with no registry.
FROM scratch
ARG GOFLAGS=""
ARG GOARCH=amd64
LABEL io.kubernaut-e2e.fixture="remediationorchestrator"
COPY cmd/remediationorchestrator/ /app/
