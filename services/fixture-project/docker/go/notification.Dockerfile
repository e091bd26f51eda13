# The real Go build of the fixture's notification, as kubernaut writes it (build context: the repository root): the builder
# stage compiles ./cmd/notification, the runtime stage holds only the binary. The Go build and module caches are cache
# mounts, so a rebuild after a small change compiles only what changed. The builder image comes from
# test/infrastructure/build-go-base.sh (its tag is a hash of its inputs).
FROM localhost/kubernaut-e2e/go-builder:ef99556f1d4f AS builder
# GOFLAGS (e.g. -cover for coverage builds) and GOARCH reach `go build` as environment variables.
ARG GOFLAGS=""
ARG GOARCH=amd64
WORKDIR /src
COPY go.mod ./
COPY pkg/shared/ pkg/shared/
COPY pkg/notification/ pkg/notification/
COPY cmd/notification/ cmd/notification/
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/root/go/pkg/mod \
    go build -ldflags="-s -w" -o /out/notification ./cmd/notification

# Metadata first and the binary last: podman commits every instruction, so after a change only the COPY below is a
# new commit, not also the EXPOSE and ENTRYPOINT after it.
FROM scratch
LABEL io.kubernaut-e2e.fixture="notification"
EXPOSE 8080
ENTRYPOINT ["/notification"]
COPY --from=builder /out/notification /notification
