# Stand-in for kubernaut's notification image: FROM scratch so it builds with no registry.
FROM scratch
ARG GOFLAGS=""
ARG GOARCH=amd64
LABEL io.kubernaut-e2e.fixture="notification"
COPY cmd/notification/ /app/
