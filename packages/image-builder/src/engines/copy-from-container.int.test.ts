import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CommandError, createCommandRunner } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPodmanEngine } from './podman-engine.js';

const exec = promisify(execFile);

/*
 * A real `podman cp` out of a real container holding a `/coverdata` directory, as a kind node does after
 * coverage-instrumented Go binaries flushed their counters. Nothing can be pulled here, so the image is
 * made with `podman import` of a tiny tar, and the container is only created, never started: `podman cp`
 * reads a stopped container's filesystem.
 */
describeWithBinaries(['podman', 'tar'], { podman: 'podman', tar: 'tar' }, () => {
  const runner = createCommandRunner();
  const engine = createPodmanEngine(runner);
  const nonce = randomBytes(5).toString('hex');
  const image = `localhost/kubernaut-e2e-test/coverdata-node:${nonce}`;
  const container = `kubernaut-e2e-coverdata-${nonce}`;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kubernaut-cp-int-'));
    const rootfs = join(root, 'rootfs');
    await mkdir(join(rootfs, 'coverdata'), { recursive: true });
    // The names Go's runtime gives its files (covmeta.<hash>, covcounters.<hash>.<pid>.<nanotime>).
    await writeFile(join(rootfs, 'coverdata/covmeta.cce1b350af34b6d0fb59cc1725f0ee27'), `meta ${nonce}\n`);
    await writeFile(
      join(rootfs, 'coverdata/covcounters.cce1b350af34b6d0fb59cc1725f0ee27.821598.1663006712821344241'),
      `counters ${nonce}\n`,
    );
    await exec('tar', ['-C', rootfs, '-cf', join(root, 'rootfs.tar'), '.']);
    await exec('podman', ['import', join(root, 'rootfs.tar'), image]);
    await exec('podman', ['create', '--name', container, image, '/nonexistent']);
  }, 120_000);

  afterAll(async () => {
    await exec('podman', ['rm', '--force', container]).catch(() => {});
    await exec('podman', ['rmi', '--force', image]).catch(() => {});
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('copies the contents of /coverdata into an existing host directory', async () => {
    const dest = join(root, 'out');
    await mkdir(dest);
    await engine.copyFromContainer(container, '/coverdata/.', dest);
    expect((await readdir(dest)).sort()).toEqual([
      'covcounters.cce1b350af34b6d0fb59cc1725f0ee27.821598.1663006712821344241',
      'covmeta.cce1b350af34b6d0fb59cc1725f0ee27',
    ]);
    expect(await readFile(join(dest, 'covmeta.cce1b350af34b6d0fb59cc1725f0ee27'), 'utf8')).toBe(
      `meta ${nonce}\n`,
    );
  });

  it('fails with podman’s own message for a container that does not exist', async () => {
    const error = await engine
      .copyFromContainer(`${container}-gone`, '/coverdata/.', join(root, 'out'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).stderrTail.join('\n')).toMatch(
      /container "kubernaut-e2e-coverdata-[0-9a-f]+-gone" does not exist/,
    );
  });
});
