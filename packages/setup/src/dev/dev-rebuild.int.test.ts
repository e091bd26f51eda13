import { appendFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BuiltImage,
  CONTENT_HASH_LABEL,
  createCommandRunner,
  type ImageBuildConfig,
  RUN_LABEL,
  RunLedger,
} from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { createImageBuilder, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import type { Toolchain } from '@kubernaut-e2e/orchestrator';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyFixtureProject, eventLog, injectedWatcher, shopService } from '../testing-internal/dev-loop.js';
import { startDevLoop } from './start-dev-loop.js';

/*
 * The rebuild part of the dev loop with real podman builds of the fixture project: every image is built by podman
 * (setup and cycles alike) and handed to the simulated cluster, which loads and rolls it (kind and an API server are
 * not available here). The fixture's `docker/*.Dockerfile` are `FROM scratch` stand-ins that COPY `cmd/<service>/`;
 * both images share the repository root as their context, as in kubernaut. The same cycle with real Go builds, a
 * real load into a containerd node and a rollout is `dev-go-cycle.int.test.ts`.
 */
describeWithBinaries(['podman'], { podman: 'podman' }, () => {
  const runner = createCommandRunner();
  const engine = createPodmanEngine(runner);
  const ledger = new RunLedger();
  const project = copyFixtureProject();
  const builds: { config: ImageBuildConfig; built: BuiltImage }[] = [];
  /** The gateway's Go source when the fixture has one, else its first file (a `//` line is harmless in either). */
  const gatewaySource = () => {
    const files = readdirSync(join(project.root, 'cmd/gateway')).sort();
    return join(project.root, 'cmd/gateway', files.includes('main.go') ? 'main.go' : files[0]!);
  };

  beforeAll(() => {
    // A unique line: an image an earlier run left can never turn this run's builds into cache hits.
    appendFileSync(gatewaySource(), `\n// run ${process.pid}-${Date.now()}\n`);
  });
  afterAll(async () => {
    // The loop keeps the images it built (they are the build cache); this test removes every image its builds
    // made, intermediate ones too, by the run label the builder put on them.
    await ledger.cleanup();
    const label = `label=${RUN_LABEL}=${ledger.runId}`;
    const made = (
      await runner.run('podman', ['images', '-a', '--filter', label, '--format', '{{.ID}}'])
    ).stdout
      .split('\n')
      .filter(Boolean);
    if (made.length > 0) await runner.run('podman', ['rmi', '-f', ...new Set(made)]);
    project.remove();
    expect((await runner.run('podman', ['images', '-a', '--filter', label, '-q'])).stdout.trim()).toBe('');
  });

  it('rebuilds exactly the image whose sources changed, and the cluster runs the new build', async () => {
    const sim = createSimToolchain();
    const podmanBuilder = createImageBuilder({ engine, projectRoot: project.root, ledger, env: {} });
    const toolchain: Toolchain = {
      ...sim,
      imageBuilder: {
        // Virtual time stands still while podman builds; the simulated engine then holds the image podman made,
        // so the simulated loader and cluster take it from there.
        build: async (config, ctx) => {
          const built = await sim.clock.track(podmanBuilder.build(config, ctx));
          builds.push({ config, built });
          sim.world.storeImage(built.ref, {});
          return built;
        },
      },
    };
    const watcher = injectedWatcher();
    const log = eventLog();
    const dev = await startDevLoop(shopService, {
      toolchain,
      ledger,
      projectRoot: project.root,
      env: {},
      keep: 'never',
      watch: watcher.watch,
      onEvent: log.onEvent,
    });
    try {
      const before = dev.images;
      expect(builds.map((b) => b.config.serviceName).sort()).toEqual(['api', 'store']);
      const setupIds = new Map(builds.map((b) => [b.built.ref, b.built.id]));
      builds.length = 0;

      const edited = gatewaySource();
      const line = `// one-line change ${process.pid}-${Date.now()}`;
      appendFileSync(edited, `${line}\n`);
      watcher.emit(edited);
      const { report } = await log.next('cycle-finished');

      expect(report).toMatchObject({ outcome: 'ready', images: ['api'] });
      // podman built the api alone, for real, into a new image.
      expect(builds.map((b) => [b.config.serviceName, b.built.cached])).toEqual([['api', false]]);
      const rebuilt = builds[0]!.built;
      expect(rebuilt.ref).not.toBe(before.api);
      expect(rebuilt.id).not.toBe(setupIds.get(before.api!));
      const inspected = await engine.inspect(rebuilt.ref);
      expect(inspected?.id).toBe(rebuilt.id);
      expect(inspected?.labels[CONTENT_HASH_LABEL]).toMatch(/^[0-9a-f]{64}$/);
      // The new image holds the edit (the fixture copies cmd/gateway/ to /app/).
      const mount = (await runner.run('podman', ['image', 'mount', rebuilt.ref])).stdout.trim();
      try {
        expect(await readFile(join(mount, 'app', edited.split('/').pop()!), 'utf8')).toContain(line);
      } finally {
        await runner.run('podman', ['image', 'unmount', rebuilt.ref]);
      }
      // The store was not rebuilt, and the cluster runs the new api in both of its deployments.
      expect(dev.images).toEqual({ api: rebuilt.ref, store: before.store });
      const cluster = sim.world.clusters.get('shop-e2e')!;
      expect(cluster.deployment('kubernaut-system', 'api')!.images).toEqual([rebuilt.ref]);
      expect(cluster.deployment('kubernaut-system', 'api-worker')!.images).toEqual([rebuilt.ref]);
      expect(cluster.deployment('kubernaut-system', 'store')!.images).toEqual([before.store]);
    } finally {
      await dev.stop();
    }
  });
});
