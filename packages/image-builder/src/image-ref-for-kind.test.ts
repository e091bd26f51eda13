import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildImageForKind, imageRefForKind } from './build-image.js';
import { createPodmanEngine } from './engines/podman-engine.js';

let root: string;
const config = {
  serviceName: 'gateway',
  imageName: 'kubernaut/gateway',
  dockerfilePath: 'docker/gateway.Dockerfile',
  consumer: 'gateway-e2e',
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubernaut-ref-test-'));
  await mkdir(join(root, 'docker'));
  await writeFile(join(root, 'docker/gateway.Dockerfile'), 'FROM scratch\nCOPY main.go /\n');
  await writeFile(join(root, 'main.go'), 'package main\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const target = (engine: 'podman' | 'docker', env: Record<string, string> = {}) => ({
  engine,
  projectRoot: root,
  env,
  hostArch: 'x64',
});

describe('imageRefForKind', () => {
  it('is the reference a podman build of the same inputs returns', async () => {
    const planned = await imageRefForKind(config, target('podman'));
    // The build: no image has the hash, so podman builds; its argv carries the tag it computed.
    const runner = new ScriptedRunner([
      { match: (argv) => argv[1] === 'images', stdout: '[]' },
      { match: (argv) => argv[1] === 'build', description: 'podman build' },
      {
        match: (argv) => argv[1] === 'image' && argv[2] === 'inspect',
        stdout: JSON.stringify([
          { Id: 'a'.repeat(64), RepoTags: [planned], Created: '2026-11-27T17:07:56Z' },
        ]),
      },
    ]);
    const built = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env: {},
      hostArch: 'x64',
    });
    expect(built.ref).toBe(planned);
    expect(planned).toMatch(/^localhost\/kubernaut\/gateway:gateway-e2e-[0-9a-f]{16}$/);
  });

  it('names docker images without localhost/, as docker stores them', async () => {
    const podman = await imageRefForKind(config, target('podman'));
    expect(await imageRefForKind(config, target('docker'))).toBe(podman.slice('localhost/'.length));
  });

  it('changes when a file the Dockerfile copies changes, and not for any other context file', async () => {
    const before = await imageRefForKind(config, target('podman'));
    await writeFile(join(root, 'README.md'), 'not copied\n');
    expect(await imageRefForKind(config, target('podman'))).toBe(before);
    await writeFile(join(root, 'main.go'), 'package main // edited\n');
    expect(await imageRefForKind(config, target('podman'))).not.toBe(before);
  });

  it('follows the registry and CI artifact modes of the environment', async () => {
    expect(
      await imageRefForKind(
        config,
        target('podman', { IMAGE_REGISTRY: 'quay.io/kubernaut', IMAGE_TAG: 'v1' }),
      ),
    ).toBe('quay.io/kubernaut/kubernaut/gateway:v1');
    expect(await imageRefForKind(config, target('podman', { KUBERNAUT_CI_ARTIFACT_TAG: 'ci-42' }))).toBe(
      'localhost/kubernaut/gateway:ci-42',
    );
  });

  it('refuses what a build would refuse, naming the field', async () => {
    const error = await imageRefForKind(
      { ...config, dockerfilePath: 'docker/missing.Dockerfile' },
      target('podman'),
    )
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toContain('dockerfilePath');
  });
});
