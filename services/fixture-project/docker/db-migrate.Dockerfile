# Stand-in for kubernaut's docker/db-migrate.Dockerfile, the image the Helm chart's migration Job runs (build
# context: the repository root). The real one packages goose with migrations/; this one is FROM scratch (and
# migrations/ is outside this fixture's build context, see .dockerignore).
FROM scratch
ARG GOFLAGS=""
ARG GOARCH=amd64
LABEL io.kubernaut-e2e.fixture="db-migrate"
COPY go.mod /db-migrate/
