# Stand-in for kubernaut's authwebhook image: FROM scratch so it builds with no registry.
FROM scratch
ARG GOFLAGS=""
ARG GOARCH=amd64
LABEL io.kubernaut-e2e.fixture="authwebhook"
COPY cmd/authwebhook/ /app/
