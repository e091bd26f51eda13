import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dockerfileContextSources } from './cache/dockerfile-sources.js';

/*
 * The real Go fixture's Dockerfiles (services/fixture-project/docker/go) name the builder image by a hash of its
 * inputs, computed by test/infrastructure/build-go-base.sh. Changing the builder without updating them would build
 * on a stale (or missing) image; this says which tag to write.
 */
const fixture = new URL('../../../services/fixture-project/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, fixture), 'utf8');
const SERVICES = ['gateway', 'datastorage', 'notification', 'authwebhook'];

describe('the Go fixture’s Dockerfiles', () => {
  const builderHash = createHash('sha256')
    .update(`debootstrap --variant=minbase bookworm\n${read('docker/go/builder.Dockerfile')}`)
    .digest('hex')
    .slice(0, 12);

  it.each(SERVICES)(
    '%s builds FROM the current builder tag, with Go cache mounts and a GOFLAGS argument',
    (service) => {
      const text = read(`docker/go/${service}.Dockerfile`);
      expect(text).toContain(`FROM localhost/kubernaut-e2e/go-builder:${builderHash} AS builder`);
      expect(text).toContain('--mount=type=cache,target=/root/.cache/go-build');
      expect(text).toContain('--mount=type=cache,target=/root/go/pkg/mod');
      expect(text).toMatch(/^ARG GOFLAGS=/m);
      expect(text).toMatch(/^FROM scratch$/m);
      expect(read(`cmd/${service}/main.go`)).toContain('package main');
    },
  );

  it.each(SERVICES)('%s reads only its own sources and the shared packages', (service) => {
    const sources = dockerfileContextSources(read(`docker/go/${service}.Dockerfile`), {
      GOFLAGS: '',
      GOARCH: 'amd64',
    });
    expect(sources).toEqual(
      expect.arrayContaining(['go.mod', 'pkg/shared', `pkg/${service}`, `cmd/${service}`]),
    );
    const others = SERVICES.filter((s) => s !== service);
    expect(JSON.stringify(sources)).not.toMatch(new RegExp(others.map((s) => `pkg/${s}`).join('|')));
  });
});
