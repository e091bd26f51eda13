import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { registryHostsDir, registryHostsToml } from '@kubernaut-e2e/cluster';
import {
  type CommandRunner,
  type ContainerEngine,
  createCommandRunner,
  parseRegistryAddress,
  RunLedger,
} from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { buildImagesForKind, createDockerEngine, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import {
  type LocalRegistry,
  type PrivateContainerd,
  type PrivateDockerd,
  startLocalRegistry,
  startPrivateContainerd,
  startPrivateDockerd,
  withEnv,
} from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryImageLoader } from './registry-loader.js';

/*
 * Registry mode, for real: images built by real podman and by a private dockerd are pushed to a real
 * distribution registry (Debian's `docker-registry` on a free loopback port), and a real containerd — the one a
 * kind node runs — pulls them through the `hosts.toml` that `@kubernaut-e2e/cluster` renders for the node.
 */
describeWithBinaries(
  ['podman', 'dockerd', 'docker', 'containerd', 'ctr', 'docker-registry'],
  {
    podman: 'podman',
    dockerd: 'docker.io',
    docker: 'docker.io',
    containerd: 'containerd',
    ctr: 'containerd',
    'docker-registry': 'docker-registry',
  },
  () => {
    const real = createCommandRunner();
    const ledger = new RunLedger();
    const nonce = randomBytes(6).toString('hex');
    let registry: LocalRegistry;
    let dockerd: PrivateDockerd;
    let node: PrivateContainerd;
    let root: string;
    let hostsDir: string;
    const engines: Record<'podman' | 'docker', { engine: ContainerEngine; runner: CommandRunner }> =
      {} as never;

    beforeAll(async () => {
      registry = await startLocalRegistry({ runner: real });
      dockerd = await startPrivateDockerd({ runner: real });
      node = await startPrivateContainerd(real);
      const docker = withEnv(real, dockerd.env);
      engines.podman = { engine: createPodmanEngine(real), runner: real };
      engines.docker = { engine: createDockerEngine(docker), runner: docker };
      root = await mkdtemp(join(tmpdir(), 'kubernaut-registry-int-'));
      // The node's certs.d, written from what the setup renders; the endpoint is the test's registry, where
      // on a user's machine it is `http://kind-registry:5000`.
      const address = parseRegistryAddress(registry.host);
      hostsDir = join(root, 'certs.d');
      const dir = join(hostsDir, basename(registryHostsDir(address)));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'hosts.toml'), registryHostsToml(registry.endpoint));
    });

    afterAll(async () => {
      await ledger.cleanup();
      await node?.stop();
      await dockerd?.stop();
      await registry?.stop();
      if (root) await rm(root, { recursive: true, force: true });
      for (const dir of [node.dir, dockerd.dir, registry.dir]) expect(existsSync(dir)).toBe(false);
    });

    async function build(engineName: 'podman' | 'docker', names: readonly string[], salt = '') {
      const dir = join(root, engineName);
      await mkdir(dir, { recursive: true });
      for (const name of names) {
        await writeFile(join(dir, `${name}.Dockerfile`), `FROM scratch\nCOPY ${name}.bin /${name}.bin\n`);
        await writeFile(join(dir, `${name}.bin`), `${name} ${nonce} ${salt}\n${'x'.repeat(256 * 1024)}`);
      }
      const built = await buildImagesForKind(
        names.map((name) => ({
          serviceName: name,
          imageName: `kubernaut-e2e-test/${engineName}-${name}`,
          dockerfilePath: `${engineName}/${name}.Dockerfile`,
          buildContextPath: engineName,
          consumer: 'registry-int',
        })),
        { engine: engines[engineName].engine, projectRoot: root, ledger, env: {}, concurrency: 2 },
      );
      return built.map((b) => b.ref);
    }

    describe.each(['podman', 'docker'] as const)('%s', (engineName) => {
      it('pushes each image under the registry name, and a node pulls it through the rendered hosts.toml', async () => {
        const { engine } = engines[engineName];
        const refs = await build(engineName, ['alpha', 'beta']);
        const loader = createRegistryImageLoader({ engine, registry: registry.host });
        expect(loader.delivery).toBe('registry');

        const report = await loader.load(refs, 'no-cluster-needed');
        expect(report.loaded).toEqual(refs);
        const podRefs = refs.map((ref) => report.podRefs![ref]!);
        for (const [index, podRef] of podRefs.entries()) {
          expect(podRef).toBe(`${registry.host}/${refs[index]!.replace(/^localhost\//, '')}`);
          // The extra name is gone from the engine; the built one stays as the build cache.
          expect(await engine.inspect(podRef)).toBeUndefined();
          expect(await engine.inspect(refs[index]!)).toBeDefined();
        }
        expect(await registry.catalog()).toEqual(
          expect.arrayContaining([
            `kubernaut-e2e-test/${engineName}-alpha`,
            `kubernaut-e2e-test/${engineName}-beta`,
          ]),
        );

        for (const podRef of podRefs) {
          await node.ctr(['images', 'pull', '--hosts-dir', hostsDir, podRef]);
        }
        const names = await node.imageNames();
        for (const podRef of podRefs) expect(names).toContain(podRef);
      });

      it('an image the registry holds already is not pushed again; a changed image uploads only its new layer', async () => {
        const { runner } = engines[engineName];
        // The same engine over a runner that records what it runs: "not pushed" means no push process at all.
        const commands: string[][] = [];
        const recording: CommandRunner = {
          run: (file, args, options) => {
            commands.push([file, ...args]);
            return runner.run(file, args, options);
          },
          start: (file, args, options) => runner.start(file, args, options),
        };
        const engine =
          engineName === 'podman' ? createPodmanEngine(recording) : createDockerEngine(recording);
        const loader = createRegistryImageLoader({ engine, registry: registry.host });
        const refs = await build(engineName, ['alpha', 'beta']);
        const before = await registry.storedBytes();
        const again = await loader.load(refs, 'c');
        expect(again).toMatchObject({ loaded: [], skipped: refs });
        expect(Object.values(again.podRefs!)).toEqual(refs.map((ref) => loader.podRef(ref)));
        expect(commands.filter((argv) => argv.includes('push'))).toEqual([]);
        expect(await registry.storedBytes()).toBe(before);

        const [changed] = await build(engineName, ['beta'], 'changed');
        expect((await loader.load([changed!], 'c')).loaded).toEqual([changed]);
        // podman: one `push SOURCE DESTINATION`. docker: no process at all — tag, push and untag went to the
        // daemon's Engine API on its socket (the only docker process is the one that asked which socket).
        const pushing = commands.filter((argv) => ['tag', 'push', 'rmi'].includes(argv[1]!));
        expect(pushing).toEqual(engineName === 'podman' ? [expect.arrayContaining(['push', changed!])] : []);
        expect(await engine.inspect(loader.podRef(changed!))).toBeUndefined();
        const added = (await registry.storedBytes()) - before;
        // One new ~256 KiB layer plus a config and a manifest: far less than the two images' bytes.
        expect(added).toBeGreaterThan(0);
        expect(added).toBeLessThan(400 * 1024);
      });
    });

    it('fails naming the image and the registry when nothing listens there', async () => {
      const { engine } = engines.docker;
      const [ref] = await build('docker', ['alpha']);
      const loader = createRegistryImageLoader({ engine, registry: 'localhost:1' });
      const error = await loader.load([ref!], 'c').catch((e: unknown) => e);
      expect((error as Error).message).toContain(`pushing image ${ref} to registry localhost:1`);
      // The Engine API's push failed, then the CLI's (whose failure is the one reported, with its argv).
      expect((error as Error).message).toContain(`command \`docker push localhost:1/${ref}\``);
      expect(await engine.inspect(`localhost:1/${ref}`)).toBeUndefined();
    });
  },
);
