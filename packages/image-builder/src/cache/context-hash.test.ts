import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBuildInputs } from './context-hash.js';

let dir: string;
const put = async (path: string, content: string) => {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), content);
};
const hash = (over: Partial<Parameters<typeof hashBuildInputs>[0]> = {}) =>
  hashBuildInputs({
    dockerfile: join(dir, 'Dockerfile'),
    context: dir,
    buildArgs: {},
    enableCoverage: false,
    ...over,
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-hash-test-'));
  await put('Dockerfile', 'FROM scratch\nCOPY . /app\n');
  await put('main.go', 'package main\n');
  await put('pkg/a/a.go', 'package a\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hashBuildInputs', () => {
  it('is stable for unchanged inputs and counts the files it hashed', async () => {
    const first = await hash();
    const second = await hash({ sliceBytes: 1 }); // yields after every file: same result
    expect(second.hash).toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.files).toBe(3);
  });

  it('changes when one context file changes, even to content of the same size', async () => {
    const before = await hash();
    await put('pkg/a/a.go', 'package b\n');
    expect((await hash()).hash).not.toBe(before.hash);
  });

  it('changes when a file is added, renamed, made executable or a symlink retargeted', async () => {
    const seen = new Set([(await hash()).hash]);
    await put('extra.txt', 'x');
    seen.add((await hash()).hash);
    await rm(join(dir, 'extra.txt'));
    await put('extra2.txt', 'x');
    seen.add((await hash()).hash);
    await chmod(join(dir, 'extra2.txt'), 0o755);
    seen.add((await hash()).hash);
    await symlink('main.go', join(dir, 'link'));
    seen.add((await hash()).hash);
    await rm(join(dir, 'link'));
    await symlink('pkg/a/a.go', join(dir, 'link'));
    seen.add((await hash()).hash);
    expect(seen.size).toBe(6);
  });

  it('changes with the Dockerfile, the build args and the coverage flag', async () => {
    const base = (await hash()).hash;
    expect((await hash({ buildArgs: { GOARCH: 'arm64' } })).hash).not.toBe(base);
    expect((await hash({ enableCoverage: true })).hash).not.toBe(base);
    await put('Dockerfile', 'FROM scratch\nCOPY . /srv\n');
    expect((await hash()).hash).not.toBe(base);
  });

  it('does not change when a file .dockerignore excludes changes', async () => {
    await put('.dockerignore', 'docs\n*.log\n');
    await put('docs/guide.md', 'v1');
    await put('build.log', 'v1');
    const before = await hash();
    await put('docs/guide.md', 'v2');
    await put('build.log', 'v2');
    await put('docs/new.md', 'new');
    expect((await hash()).hash).toBe(before.hash);
    // …but a .log below the root is not matched by the anchored `*.log`, so it counts.
    await put('pkg/debug.log', 'x');
    expect((await hash()).hash).not.toBe(before.hash);
  });

  it('hashes a file re-included by ! inside an excluded directory', async () => {
    await put('.dockerignore', 'docs\n!docs/keep.md\n');
    await put('docs/keep.md', 'v1');
    const before = await hash();
    await put('docs/keep.md', 'v2');
    expect((await hash()).hash).not.toBe(before.hash);
  });

  it('streams files larger than the whole-read limit', async () => {
    await put('big.bin', 'x'.repeat(5 * 1024 * 1024));
    const before = await hash();
    await put('big.bin', `${'x'.repeat(5 * 1024 * 1024 - 1)}y`);
    const after = await hash();
    expect(after.hash).not.toBe(before.hash);
    expect(after.bytes).toBeGreaterThan(5 * 1024 * 1024);
  });
});
