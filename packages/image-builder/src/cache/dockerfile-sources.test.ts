import { describe, expect, it } from 'vitest';
import { dockerfileContextSources } from './dockerfile-sources.js';

const sources = (text: string, args: Record<string, string> = {}) => dockerfileContextSources(text, args);

describe('dockerfileContextSources', () => {
  it('takes the sources of COPY and ADD, normalised to context-relative paths', () => {
    expect(
      sources(`FROM scratch
COPY cmd/gateway/ /app/
COPY ./go.mod ./go.sum /src/
ADD --chown=1001 /pkg/shared /src/pkg/shared
`),
    ).toEqual(['cmd/gateway', 'go.mod', 'go.sum', 'pkg/shared']);
  });

  it('reads the JSON form and joins continuation lines, skipping comments inside them', () => {
    expect(
      sources(`FROM scratch
COPY ["cmd/a b", "/app/"]
COPY internal/ \\
  # a comment line inside the continuation
  pkg/ \\
  /src/
`),
    ).toEqual(['cmd/a b', 'internal', 'pkg']);
  });

  it('ignores copies from other stages and images, and URLs that ADD fetches itself', () => {
    expect(
      sources(`FROM golang:1.24 AS builder
COPY cmd/notification/ /src/cmd/notification/
RUN go build -o /out/app ./cmd/notification
FROM gcr.io/distroless/static
COPY --from=builder /out/app /app
ADD https://example.com/ca.pem /etc/ssl/ca.pem
ONBUILD COPY . /elsewhere
`),
    ).toEqual(['cmd/notification']);
  });

  it('substitutes ARG defaults, build arguments over them, and ENV values', () => {
    const text = `ARG SERVICE=gateway
FROM scratch
ARG SERVICE
ARG BINARY=cmd/\${SERVICE}/README.txt
ENV CONFIG_DIR=config/$SERVICE
COPY \${BINARY} /app
COPY \${CONFIG_DIR}/ /etc/app/
COPY \${MISSING:-docs}/ /docs/
`;
    expect(sources(text)).toEqual(['cmd/gateway/README.txt', 'config/gateway', 'docs']);
    expect(sources(text, { SERVICE: 'notification', BINARY: 'bin/notification' })).toEqual([
      'bin/notification',
      'config/notification',
      'docs',
    ]);
  });

  it('counts a RUN bind mount of the context (type defaults to bind, source to the context root)', () => {
    expect(
      sources(`FROM golang:1.24
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=bind,source=go.mod,target=go.mod go mod download
RUN --mount=type=bind,from=builder,source=/out,target=/in cp /in/app /app
`),
    ).toEqual(['go.mod']);
    expect(sources('FROM golang:1.24\nRUN --mount=target=/src go build ./...\n')).toBeUndefined();
  });

  it('means the whole context when a build reads all of it or the parser cannot be sure', () => {
    expect(sources('FROM scratch\nCOPY . /app\n')).toBeUndefined();
    expect(sources('FROM scratch\nCOPY ./ /app\n')).toBeUndefined();
    // A variable without a value: docker would substitute "", never the path the author meant.
    expect(sources(`FROM scratch\nARG BINARY\nCOPY \${BINARY} /app\n`)).toBeUndefined();
    // An ARG declared before FROM is not visible inside the stage unless declared again.
    expect(sources(`ARG BINARY=app\nFROM scratch\nCOPY \${BINARY} /app\n`)).toBeUndefined();
    expect(sources('FROM scratch\nCOPY <<EOF /etc/motd\nCOPY secret /x\nEOF\n')).toBeUndefined();
    expect(sources('FROM scratch\nCOPY ../outside /app\n')).toBeUndefined();
    expect(sources('FROM scratch\nCOPY onlyone\n')).toBeUndefined();
    expect(sources('FROM scratch\nCOPY ["broken", \n')).toBeUndefined();
  });

  it('honours an escape parser directive', () => {
    expect(sources('# escape=`\nFROM scratch\nCOPY a `\n  b /dst/\n')).toEqual(['a', 'b']);
  });

  it('is empty for a build that takes nothing from the context', () => {
    expect(sources('FROM scratch\nLABEL a=b\n')).toEqual([]);
  });
});
