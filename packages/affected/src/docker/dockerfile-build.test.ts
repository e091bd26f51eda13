import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_PROJECT_ROOT } from '@kubernaut-e2e/setup';
import { describe, expect, it } from 'vitest';
import { analyzeDockerfile } from './dockerfile-build.js';

/** A builder that copies the whole repository and compiles one binary, the way kubernaut's Dockerfiles are written. */
const KUBERNAUT_STYLE = `# syntax=docker/dockerfile:1
ARG BUILDER_IMAGE=golang:1.22
ARG RUNTIME_IMAGE=debian:bookworm-slim
FROM \${BUILDER_IMAGE} AS builder
ARG GOFLAGS=""
ARG APP_VERSION=v1.0.0
ARG TARGETARCH
ARG GOARCH=\${TARGETARCH}
USER root
RUN dnf install -y git ca-certificates && dnf clean all
WORKDIR /opt/src
COPY --chown=1001:0 go.mod go.sum ./
RUN go mod download
COPY --chown=1001:0 . .
RUN if [ "\${GOFLAGS}" = "-cover" ]; then \\
      echo "coverage build"; \\
      CGO_ENABLED=0 GOARCH=\${GOARCH} GOFLAGS=\${GOFLAGS} go build -mod=mod \\
        -ldflags="-X example.com/shop/internal/version.Version=\${APP_VERSION}" -o orders ./cmd/orders; \\
    else \\
      CGO_ENABLED=0 go build -mod=mod -ldflags="-s -w" -o orders ./cmd/orders; \\
    fi

FROM scratch AS production
COPY --from=builder /etc/ssl/certs/ca-bundle.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=builder /opt/src/orders /orders

FROM \${RUNTIME_IMAGE} AS development
RUN useradd -r -u 1001 orders-user
COPY --from=builder /opt/src/orders /usr/local/bin/orders
COPY --from=builder /opt/src/api/openapi/orders.yaml /etc/orders/openapi.yaml
USER 1001
ENTRYPOINT ["/usr/local/bin/orders"]
`;

const dirs = new Set(['cmd', 'cmd/orders', 'pkg', 'api', 'api/openapi', 'config']);
const options = { goModule: 'example.com/shop', isDirectory: (p: string) => dirs.has(p) };

describe('analyzeDockerfile', () => {
  it('for a builder that copies the whole context, takes the compiled package and what the final stage copies out', () => {
    const build = analyzeDockerfile(KUBERNAUT_STYLE, options);
    expect(build.goBuilds).toEqual([{ target: 'cmd/orders', line: 15 }]);
    expect(build.contextInputs).toEqual([
      expect.objectContaining({ pattern: 'api/openapi/orders.yaml', line: 30 }),
    ]);
  });

  it('finds the target through a build argument, and through the module path', () => {
    const text = `FROM golang AS b
ARG SERVICE
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/\${SERVICE} && go build -o /out/tool example.com/shop/cmd/tool
FROM scratch
COPY --from=b /out/ /bin/
`;
    expect(
      analyzeDockerfile(text, { ...options, buildArgs: { SERVICE: 'billing' } }).goBuilds.map(
        (g) => g.target,
      ),
    ).toEqual(['cmd/billing', 'cmd/tool']);
    // Without the argument the target is unknown: the whole context counts.
    expect(analyzeDockerfile(text, options).contextInputs).toEqual({
      whole: expect.stringContaining('RUN at line 5 runs a command this reading does not follow'),
    });
  });

  it('maps targets through a directory copied to another path, and `...` patterns', () => {
    const text = `FROM golang AS b
WORKDIR /work
COPY cmd/ /work/commands/
COPY go.mod ./
RUN go build -o /out/x ./commands/... && go build -o /out/y /work/commands/orders/main.go
FROM scratch
COPY --from=b /out/x /x
COPY --from=b /out/y /y
`;
    expect(analyzeDockerfile(text, options)).toEqual({
      goBuilds: [
        { target: 'cmd/...', line: 5 },
        { target: 'cmd/orders', line: 5 },
      ],
      contextInputs: [],
    });
  });

  it('counts the whole context when a stage runs what it cannot follow after copying it', () => {
    for (const command of [
      'make orders',
      './hack/build.sh',
      'cp -r config /config',
      'go generate ./...',
      'for s in a b; do go build ./cmd/$s; done',
      'go build -o x $(cat target)',
    ]) {
      const text = `FROM golang AS b\nWORKDIR /src\nCOPY . .\nRUN ${command}\nFROM scratch\nCOPY --from=b /src/x /x\n`;
      const build = analyzeDockerfile(text, options);
      expect(build.contextInputs, command).toEqual({ whole: expect.stringContaining('RUN at line 4') });
    }
  });

  it('counts the whole context for a heredoc, an unknown variable in a COPY, a COPY from outside, and the context in the final stage', () => {
    const cases = {
      'FROM golang\nRUN <<EOF\ngo build ./cmd/x\nEOF\n': 'heredoc',
      'FROM golang\nCOPY $SRC /src\n': 'variable without a value',
      'FROM golang\nCOPY ../other /src\n': 'outside the build context',
      'FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -o app ./cmd/orders\n':
        'the whole context (COPY at line 3)',
      '# nothing\n': 'no FROM',
    };
    for (const [text, why] of Object.entries(cases))
      expect(analyzeDockerfile(text, options).contextInputs, text).toEqual({
        whole: expect.stringContaining(why),
      });
  });

  it('ignores what a stage without context content builds (a module from the network) and images copied from', () => {
    const text = `FROM golang AS goose
RUN GOMODCACHE=/tmp/m go install github.com/pressly/goose/v3/cmd/goose@v3.20.0 && go build -o /goose github.com/pressly/goose/v3/cmd/goose
FROM alpine
COPY --from=goose /goose /usr/local/bin/goose
COPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/busybox
COPY migrations/ /migrations/
`;
    expect(analyzeDockerfile(text, options)).toEqual({
      goBuilds: [],
      contextInputs: [expect.objectContaining({ pattern: 'migrations', line: 6 })],
    });
  });

  it('reads the fixture project’s Dockerfiles: the Go builds compile cmd/<service>, the stand-ins copy it', () => {
    const read = (path: string) => readFileSync(join(FIXTURE_PROJECT_ROOT, path), 'utf8');
    expect(analyzeDockerfile(read('docker/go/gateway.Dockerfile'), options)).toEqual({
      goBuilds: [{ target: 'cmd/gateway', line: 14 }],
      contextInputs: [],
    });
    expect(analyzeDockerfile(read('docker/gateway.Dockerfile'), options)).toEqual({
      goBuilds: [],
      contextInputs: [expect.objectContaining({ pattern: 'cmd/gateway' })],
    });
  });
});
