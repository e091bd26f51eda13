# The Go builder image of the real Go fixture: Debian 12's golang-go (Go 1.19) on the debootstrapped base, which
# test/infrastructure/build-go-base.sh makes without a registry. Its tag is a hash of this file and the base's
# recipe, and the service Dockerfiles in this directory name that tag (a unit test checks they agree).
FROM localhost/kubernaut-e2e/bookworm:base
RUN apt-get -o Acquire::Check-Valid-Until=false -o Acquire::Check-Date=false update -q \
 && apt-get install -y -q --no-install-recommends golang-go ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV GOPATH=/root/go GOCACHE=/root/.cache/go-build GOMODCACHE=/root/go/pkg/mod GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux
# Debian's standard library is compiled with cgo; the services build static binaries (CGO_ENABLED=0), so compile
# it once here rather than in every cold service build.
RUN go install std
WORKDIR /src
