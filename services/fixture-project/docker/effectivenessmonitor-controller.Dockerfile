# Stand-in for kubernaut's docker/effectivenessmonitor-controller.Dockerfile (build context: the repository root).
# The real one compiles ./cmd/effectivenessmonitor in a Go builder stage; this one is FROM scratch so it builds
# with no registry.
FROM scratch
ARG GOFLAGS=""
ARG GOARCH=amd64
LABEL io.kubernaut-e2e.fixture="effectivenessmonitor"
COPY cmd/effectivenessmonitor/ /app/
