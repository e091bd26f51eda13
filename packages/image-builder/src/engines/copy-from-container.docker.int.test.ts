import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandRunner, createCommandRunner } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { type PrivateDockerd, startPrivateDockerd, withEnv } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDockerEngine } from './docker-engine.js';

/*
 * The same copy as `copy-from-container.int.test.ts`, through a real `docker cp` against a private dockerd the test
 * starts and stops: a docker-run kind node holds `/coverdata` the same way.
 */
describeWithBinaries(
  ['dockerd', 'docker', 'tar'],
  { dockerd: 'docker.io', docker: 'docker.io', tar: 'tar' },
  () => {
    const nonce = randomBytes(5).toString('hex');
    const image = `kubernaut-e2e-test/coverdata-node:${nonce}`;
    const container = `kubernaut-e2e-coverdata-${nonce}`;
    let dockerd: PrivateDockerd | undefined;
    let runner: CommandRunner;
    let root: string;

    beforeAll(async () => {
      const real = createCommandRunner();
      dockerd = await startPrivateDockerd({ runner: real });
      runner = withEnv(real, dockerd.env);
      root = await mkdtemp(join(tmpdir(), 'kubernaut-docker-cp-int-'));
      const rootfs = join(root, 'rootfs');
      await mkdir(join(rootfs, 'coverdata'), { recursive: true });
      await writeFile(join(rootfs, 'coverdata/covmeta.cce1b350af34b6d0fb59cc1725f0ee27'), `meta ${nonce}\n`);
      await writeFile(
        join(rootfs, 'coverdata/covcounters.cce1b350af34b6d0fb59cc1725f0ee27.1.2'),
        `counters ${nonce}\n`,
      );
      await real.run('tar', ['-C', rootfs, '-cf', join(root, 'rootfs.tar'), '.']);
      await runner.run('docker', ['import', join(root, 'rootfs.tar'), image]);
      await runner.run('docker', ['create', '--name', container, image, '/nonexistent']);
    }, 120_000);

    afterAll(async () => {
      await dockerd?.stop();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('copies the contents of /coverdata out of the container with docker cp', async () => {
      const engine = createDockerEngine(runner);
      const dest = join(root, 'out');
      await mkdir(dest);
      await engine.copyFromContainer(container, '/coverdata/.', dest);
      expect((await readdir(dest)).sort()).toEqual([
        'covcounters.cce1b350af34b6d0fb59cc1725f0ee27.1.2',
        'covmeta.cce1b350af34b6d0fb59cc1725f0ee27',
      ]);
      expect(await readFile(join(dest, 'covmeta.cce1b350af34b6d0fb59cc1725f0ee27'), 'utf8')).toBe(
        `meta ${nonce}\n`,
      );
    });
  },
);
