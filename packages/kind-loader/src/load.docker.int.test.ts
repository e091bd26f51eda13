import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type CommandRunner, createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { buildImagesForKind, createDockerEngine } from '@kubernaut-e2e/image-builder';
import {
  KindNodeEmulator,
  type PrivateContainerd,
  type PrivateDockerd,
  startPrivateContainerd,
  startPrivateDockerd,
  withEnv,
} from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadImagesToKind } from './load-images.js';
import { nodeImageName } from './node-image-name.js';

/*
 * The docker path, for real: images built by a private dockerd (legacy builder), exported with ONE `docker save`
 * and imported by a real containerd exactly as a kind node imports `kind load image-archive`. docker names an
 * image `kubernaut-e2e-test/x:tag`; the node stores it as `docker.io/kubernaut-e2e-test/x:tag`, which is also
 * what the kubelet expands the pod spec's short name to — so the name round-trips.
 */
describeWithBinaries(
  ['dockerd', 'docker', 'containerd', 'ctr'],
  { dockerd: 'docker.io', docker: 'docker.io', containerd: 'containerd', ctr: 'containerd' },
  () => {
    const real = createCommandRunner();
    const ledger = new RunLedger();
    const nonce = randomBytes(6).toString('hex');
    const cluster = 'kl-docker-int';
    let dockerd: PrivateDockerd;
    let docker: CommandRunner;
    let node: PrivateContainerd;
    let root: string;

    beforeAll(async () => {
      dockerd = await startPrivateDockerd({ runner: real });
      docker = withEnv(real, dockerd.env);
      node = await startPrivateContainerd(real);
      root = await mkdtemp(join(tmpdir(), 'kubernaut-load-docker-int-'));
      for (const name of ['alpha', 'beta', 'gamma']) {
        await writeFile(join(root, `${name}.Dockerfile`), `FROM scratch\nCOPY ${name}.txt /${name}.txt\n`);
        await writeFile(join(root, `${name}.txt`), `${name} ${nonce}\n`);
      }
    });

    afterAll(async () => {
      await ledger.cleanup();
      await node?.stop();
      await dockerd?.stop();
      if (root) await rm(root, { recursive: true, force: true });
      expect(existsSync(node.dir)).toBe(false);
      expect(existsSync(dockerd.dir)).toBe(false);
    });

    it('loads several docker-built images with one `docker save` archive and one import; names round-trip', async () => {
      const engine = createDockerEngine(docker);
      const built = await buildImagesForKind(
        ['alpha', 'beta', 'gamma'].map((name) => ({
          serviceName: name,
          imageName: `kubernaut-e2e-test/${name}`,
          dockerfilePath: `${name}.Dockerfile`,
          consumer: 'load-docker-int',
        })),
        { engine, projectRoot: root, ledger, env: {}, concurrency: 2 },
      );
      const refs = built.map((b) => b.ref);
      // docker's names carry no registry: what a pod spec writes.
      for (const ref of refs) expect(ref).toMatch(/^kubernaut-e2e-test\/(alpha|beta|gamma):load-docker-int-/);

      const runner = new KindNodeEmulator(docker, node, cluster);
      const report = await loadImagesToKind(refs, cluster, { engine, runner, ledger, provider: 'docker' });
      expect(report).toEqual({ loaded: refs, skipped: [] });
      expect(runner.archives).toHaveLength(1);
      expect(existsSync(dirname(runner.archives[0]!.path))).toBe(false);

      const names = await node.imageNames();
      for (const ref of refs) {
        expect(nodeImageName(ref)).toBe(`docker.io/${ref}`);
        expect(names).toContain(nodeImageName(ref));
      }

      // A second load of the same images skips them: the node reports what it holds under the docker.io/ names.
      const again = await loadImagesToKind(refs, cluster, {
        engine,
        runner,
        ledger,
        provider: 'docker',
        cluster: { listNodeImages: () => node.imageNames() },
      });
      expect(again).toEqual({ loaded: [], skipped: refs });
      expect(runner.archives).toHaveLength(1);
    });
  },
);
