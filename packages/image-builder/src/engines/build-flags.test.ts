import { readFileSync } from 'node:fs';
import { ConfigError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { buildArgs } from './cli-engine.js';
import { createDockerEngine, dockerDialect } from './docker-engine.js';
import { createPodmanEngine, podmanDialect } from './podman-engine.js';

const podmanInspect = readFileSync(
  new URL('../__fixtures__/podman-image-inspect.json', import.meta.url),
  'utf8',
);
const request = {
  ref: 'localhost/kubernaut/gateway:gateway-e2e-0123456789ab',
  dockerfile: '/src/docker/go/gateway.Dockerfile',
  context: '/src',
  buildArgs: { GOARCH: 'amd64' },
  labels: {},
};
const tail = ['--file', request.dockerfile, '--tag', request.ref, '--build-arg', 'GOARCH=amd64', '/src'];

/** The argv of one real build through the podman engine. */
async function podmanArgv(options: Parameters<typeof createPodmanEngine>[1]): Promise<readonly string[]> {
  const runner = new ScriptedRunner([
    { argv: ['podman', ...buildArgs(podmanDialect(), request, expectedFlags(options))] },
    { argv: ['podman', 'image', 'inspect', request.ref], stdout: podmanInspect },
  ]);
  await createPodmanEngine(runner, options).build(request);
  runner.assertAllUsed();
  return runner.calls[0]!.argv.slice(1);
}

function expectedFlags(options: Parameters<typeof createPodmanEngine>[1] = {}) {
  const isolation = options.isolation ?? options.env?.BUILDAH_ISOLATION;
  return {
    ...(options.noCache ? { noCache: true } : {}),
    ...(isolation ? { isolation } : {}),
    ...(options.network ? { network: options.network } : {}),
  };
}

describe('build caching and isolation flags', () => {
  it('uses the layer cache by default: no --no-cache, no --isolation, no --network', async () => {
    expect(await podmanArgv({ env: {} })).toEqual(['build', '--force-rm', ...tail]);
  });

  it('noCache gives the seed’s --no-cache', async () => {
    expect(await podmanArgv({ env: {}, noCache: true })).toEqual([
      'build',
      '--force-rm',
      '--no-cache',
      ...tail,
    ]);
  });

  it('takes the isolation from BUILDAH_ISOLATION, and an explicit one wins', async () => {
    expect(await podmanArgv({ env: { BUILDAH_ISOLATION: 'chroot' } })).toEqual([
      'build',
      '--force-rm',
      '--isolation=chroot',
      ...tail,
    ]);
    expect(await podmanArgv({ env: { BUILDAH_ISOLATION: 'chroot' }, isolation: 'oci' })).toEqual([
      'build',
      '--force-rm',
      '--isolation=oci',
      ...tail,
    ]);
    expect(await podmanArgv({ env: { BUILDAH_ISOLATION: '' } })).toEqual(['build', '--force-rm', ...tail]);
  });

  it('puts every flag before the file, tag and context', async () => {
    expect(await podmanArgv({ env: {}, noCache: true, isolation: 'chroot', network: 'host' })).toEqual([
      'build',
      '--force-rm',
      '--no-cache',
      '--isolation=chroot',
      '--network',
      'host',
      ...tail,
    ]);
  });

  it('docker: --no-cache too, and BUILDAH_ISOLATION is podman’s alone', async () => {
    expect(buildArgs(dockerDialect(), request, { noCache: true })).toEqual([
      'build',
      '--force-rm',
      '--no-cache',
      ...tail,
    ]);
    const runner = new ScriptedRunner([
      { argv: ['docker', 'build', '--force-rm', ...tail] },
      { argv: ['docker', 'image', 'inspect', request.ref], stdout: podmanInspect },
    ]);
    const previous = process.env.BUILDAH_ISOLATION;
    process.env.BUILDAH_ISOLATION = 'chroot';
    try {
      await createDockerEngine(runner).build(request);
    } finally {
      if (previous === undefined) delete process.env.BUILDAH_ISOLATION;
      else process.env.BUILDAH_ISOLATION = previous;
    }
    runner.assertAllUsed();
  });

  it('docker: an isolation is refused before anything runs (docker on Linux has none to choose)', () => {
    const runner = new ScriptedRunner([]);
    expect(() => createDockerEngine(runner, { isolation: 'chroot' })).toThrow(ConfigError);
    expect(() => createDockerEngine(runner, { isolation: 'chroot' })).toThrow(/isolation/);
    expect(runner.calls).toHaveLength(0);
  });
});
