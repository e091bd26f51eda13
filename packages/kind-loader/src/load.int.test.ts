import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { buildImagesForKind, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import {
  KindNodeEmulator,
  type PrivateContainerd,
  startPrivateContainerd,
} from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadImageToKind } from './load-image.js';
import { loadImagesToKind } from './load-images.js';
import { nodeImageName } from './node-image-name.js';

/*
 * The loader's own export (`podman save -m`) imported by a real containerd, exactly as a kind node
 * imports `kind load image-archive` (`ctr -n k8s.io images import --all-platforms --digests -`). The
 * containerd is private to this suite: its own root, state and socket in a temp dir, CRI disabled.
 * kind itself is not installable here; `KindNodeEmulator` answers its one command with that import.
 */
describeWithBinaries(
  ['podman', 'containerd', 'ctr'],
  { podman: 'podman', containerd: 'containerd', ctr: 'containerd' },
  () => {
    const real = createCommandRunner();
    const engine = createPodmanEngine(real);
    const ledger = new RunLedger();
    const nonce = randomBytes(6).toString('hex');
    const cluster = 'kl-int';
    let node: PrivateContainerd;
    let runner: KindNodeEmulator;
    let root: string;
    let refs: string[];

    beforeAll(async () => {
      node = await startPrivateContainerd(real);
      runner = new KindNodeEmulator(real, node, cluster);
      root = await mkdtemp(join(tmpdir(), 'kubernaut-load-int-'));
      for (const name of ['alpha', 'beta', 'gamma']) {
        await writeFile(join(root, `${name}.Dockerfile`), `FROM scratch\nCOPY ${name}.txt /${name}.txt\n`);
        await writeFile(join(root, `${name}.txt`), `${name} ${nonce}\n`);
      }
      const built = await buildImagesForKind(
        ['alpha', 'beta', 'gamma'].map((name) => ({
          serviceName: name,
          imageName: `kubernaut-e2e-test/${name}`,
          dockerfilePath: `${name}.Dockerfile`,
          consumer: 'load-int',
        })),
        { engine, projectRoot: root, ledger, env: {}, concurrency: 3 },
      );
      refs = built.map((b) => b.ref);
    });

    afterAll(async () => {
      await node?.stop();
      const images = ledger.entries.filter((e) => e.kind === 'image').map((e) => e.name);
      await ledger.cleanup();
      await rm(root, { recursive: true, force: true });
      for (const ref of images) expect(await engine.inspect(ref)).toBeUndefined();
      expect(existsSync(node.dir)).toBe(false);
    });

    it('loads several images with one archive and one import, each under the name the pod spec uses', async () => {
      const [alpha, beta] = refs as [string, string, string];
      const report = await loadImagesToKind([alpha, beta], cluster, { engine, runner, ledger });
      expect(report).toEqual({ loaded: [alpha, beta], skipped: [] });
      expect(runner.archives).toHaveLength(1);
      expect(existsSync(dirname(runner.archives[0]!.path))).toBe(false); // archive and its dir are gone

      const names = await node.imageNames();
      for (const ref of [alpha, beta]) {
        // podman's localhost/ name round-trips unchanged: the deployment uses `ref` as its image.
        expect(nodeImageName(ref)).toBe(ref);
        expect(names).toContain(nodeImageName(ref));
        // The trap: without localhost/ a pod spec would ask for docker.io/…, which the node does not hold.
        expect(names).not.toContain(nodeImageName(ref.replace(/^localhost\//, '')));
      }
    });

    it('skips images the node already holds and loads only the new one', async () => {
      const [alpha, beta, gamma] = refs as [string, string, string];
      const before = runner.archives.length;
      const nodeImages = { listNodeImages: async () => node.imageNames() };
      const report = await loadImagesToKind([alpha, beta, gamma], cluster, {
        engine,
        runner,
        ledger,
        cluster: nodeImages,
      });
      expect(report).toEqual({ loaded: [gamma], skipped: [alpha, beta] });
      expect(runner.archives).toHaveLength(before + 1);
      expect(await node.imageNames()).toContain(nodeImageName(gamma));
    });

    it("loads one image the seed's way (loadImageToKind) and removes the engine copy this run built", async () => {
      await writeFile(join(root, 'delta.Dockerfile'), 'FROM scratch\nCOPY delta.txt /delta.txt\n');
      await writeFile(join(root, 'delta.txt'), `delta ${nonce}\n`);
      const [delta] = await buildImagesForKind(
        [
          {
            serviceName: 'delta',
            imageName: 'kubernaut-e2e-test/delta',
            dockerfilePath: 'delta.Dockerfile',
            consumer: 'load-int',
          },
        ],
        { engine, projectRoot: root, ledger, env: {} },
      );
      await loadImageToKind(delta!.ref, 'delta', cluster, {
        engine,
        runner,
        ledger,
        removeEngineImage: true,
      });
      expect(await node.imageNames()).toContain(delta!.ref);
      expect(await engine.inspect(delta!.ref)).toBeUndefined();
      expect(ledger.entries.some((e) => e.name === delta!.ref)).toBe(false);
    });

    it('a docker-style archive (familiar names, no registry) lands under docker.io/, as nodeImageName predicts', async () => {
      // No docker daemon here: make the archive docker save would write by renaming podman's entry to
      // the familiar form docker puts in manifest.json's RepoTags (`kubernaut-e2e-test/x:tag`).
      const dir = await ledger.tempDir('docker-archive-');
      const unpacked = join(dir, 'unpacked');
      await mkdir(unpacked);
      await engine.save([refs[0]!], join(dir, 'podman.tar'));
      await real.run('tar', ['-xf', join(dir, 'podman.tar'), '-C', unpacked]);
      const manifestPath = join(unpacked, 'manifest.json');
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { RepoTags: string[] }[];
      const dockerRef = `kubernaut-e2e-test/docker-style:${nonce}`;
      manifest[0]!.RepoTags = [dockerRef];
      await writeFile(manifestPath, JSON.stringify(manifest));
      await rm(join(unpacked, 'repositories'), { force: true });
      await real.run('tar', ['-cf', join(dir, 'docker.tar'), '-C', unpacked, ...(await readdir(unpacked))]);
      await node.importArchive(join(dir, 'docker.tar'));

      const names = await node.imageNames();
      expect(nodeImageName(dockerRef)).toBe(`docker.io/kubernaut-e2e-test/docker-style:${nonce}`);
      expect(names).toContain(nodeImageName(dockerRef));
      expect(names).not.toContain(dockerRef);
      await ledger.dispose(ledger.entries.find((e) => e.name === dir)!);
    });

    it('fails naming the image and the cluster when kind has no such cluster, leaving no archive', async () => {
      const error = await loadImageToKind(refs[0]!, 'alpha', 'other-cluster', {
        engine,
        runner,
        ledger,
      }).catch((e: unknown) => e);
      expect((error as Error).message).toContain(`loading image ${refs[0]} into kind cluster other-cluster`);
      expect(ledger.entries.filter((e) => e.kind === 'temp-dir')).toHaveLength(0);
    });
  },
);
