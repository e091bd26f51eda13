import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  GENERATED_DIRS,
  writeGoFixture,
} from '../../../services/fixture-project/hack/generate-go-fixture.mjs';
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

/*
 * The Go fixture's pkg/<service>/ sources are generated (hack/generate-go-fixture.mjs), not committed: everything
 * that builds them runs the generator first, so it must give the same bytes every time, rewrite nothing when they are
 * already there, and survive two processes generating into one tree at once.
 */
describe('the Go fixture’s generator', () => {
  const GENERATOR = fileURLToPath(new URL('hack/generate-go-fixture.mjs', fixture));
  const scratch = mkdtempSync(join(tmpdir(), 'kubernaut-go-fixture-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** sha256 over every file's path and bytes, in path order. */
  function treeHash(root: string): { files: number; digest: string } {
    const paths: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else paths.push(relative(root, join(dir, entry.name)));
      }
    };
    walk(root);
    const hash = createHash('sha256');
    for (const path of paths.sort())
      hash
        .update(`${path}\0`)
        .update(readFileSync(join(root, path)))
        .update('\0');
    return { files: paths.length, digest: hash.digest('hex') };
  }

  it('writes identical bytes on two runs, and nothing on a run over its own output', () => {
    const [first, second] = ['first', 'second'].map((name) => join(scratch, name)) as [string, string];
    expect(writeGoFixture(first)).toEqual({ written: 148, removed: 0 });
    expect(writeGoFixture(second)).toEqual({ written: 148, removed: 0 });
    expect(treeHash(first)).toEqual(treeHash(second));
    expect(treeHash(first).files).toBe(148);
    expect(writeGoFixture(first)).toEqual({ written: 0, removed: 0 });
  });

  it('restores an edited file and removes a Go file it does not make', () => {
    const root = join(scratch, 'edited');
    writeGoFixture(root);
    const before = treeHash(root);
    writeFileSync(join(root, 'pkg/gateway/api/zz_generated_03.go'), 'package api\n');
    writeFileSync(join(root, 'pkg/gateway/api/zz_generated_99.go'), 'package api\n');
    expect(writeGoFixture(root)).toEqual({ written: 1, removed: 1 });
    expect(treeHash(root)).toEqual(before);
  });

  it('gives the same tree when two processes generate into it at once', async () => {
    const alone = join(scratch, 'alone');
    writeGoFixture(alone);
    const shared = join(scratch, 'shared');
    const run = promisify(execFile);
    // Two CLI runs against one tree: the script takes no root argument, so each imports it with `shared`.
    const script = `import(${JSON.stringify(GENERATOR)}).then((g) => g.writeGoFixture(${JSON.stringify(shared)}))`;
    await Promise.all([run(process.execPath, ['-e', script]), run(process.execPath, ['-e', script])]);
    expect(treeHash(shared)).toEqual(treeHash(alone));
  });

  it.each(SERVICES)('makes every source docker/go/%s.Dockerfile copies, in the fixture itself', (service) => {
    const root = fileURLToPath(fixture);
    writeGoFixture(root);
    const sources = dockerfileContextSources(read(`docker/go/${service}.Dockerfile`), {
      GOFLAGS: '',
      GOARCH: 'amd64',
    });
    expect(sources).toBeDefined();
    for (const source of sources ?? []) expect(existsSync(join(root, source)), source).toBe(true);
    expect(GENERATED_DIRS.filter((dir) => dir.startsWith(`pkg/${service}/`))).toHaveLength(3);
  });
});
