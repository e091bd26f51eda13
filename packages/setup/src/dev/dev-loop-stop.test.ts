import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentHashTag } from '@kubernaut-e2e/core';
import { hashImageSources } from '@kubernaut-e2e/image-builder';
import { createSimToolchain, type SimToolchainOptions } from '@kubernaut-e2e/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFixtureProject, eventLog, injectedWatcher, shopService } from '../testing-internal/dev-loop.js';
import { startDevLoop } from './start-dev-loop.js';
import type { DevLoop, DevLoopOptions } from './types.js';

// Stopping (Ctrl-C in the CLI) and failures: the keep policy decides the cluster's fate; a failed cycle does not
// end the loop.
let project: ReturnType<typeof copyFixtureProject>;
const started: DevLoop[] = [];
beforeEach(() => {
  project = copyFixtureProject();
});
afterEach(async () => {
  // A failed assertion must not leave a loop holding the cluster name for the next test.
  await Promise.all(started.splice(0).map((dev) => dev.stop().catch(() => {})));
  project.remove();
});

function harness(simOptions: SimToolchainOptions = {}) {
  const sim = createSimToolchain(simOptions);
  const watcher = injectedWatcher();
  const log = eventLog();
  const start = (options: Partial<DevLoopOptions> = {}) =>
    startDevLoop(shopService, {
      toolchain: sim,
      projectRoot: project.root,
      env: {},
      watch: watcher.watch,
      onEvent: log.onEvent,
      ...options,
    }).then((dev) => {
      started.push(dev);
      return dev;
    });
  return { sim, watcher, log, start, clusterExists: () => sim.world.clusters.has('shop-e2e') };
}

describe('stopping the dev loop applies the keep policy', () => {
  it('never: deletes the cluster it created, and stops watching', async () => {
    const { start, watcher, clusterExists } = harness();
    const dev = await start({ keep: 'never' });
    expect(clusterExists()).toBe(true);
    const result = await dev.stop();
    expect(result).toEqual({ cycles: [], clusterKept: false });
    expect(clusterExists()).toBe(false);
    expect(watcher.closed).toBe(true);
    // Stopping again changes nothing and says the same.
    expect(await dev.stop()).toEqual(result);
  });

  it.each(['always', 'on-failure'] as const)(
    '%s: keeps the cluster for the next loop or test run',
    async (keep) => {
      const { start, clusterExists } = harness();
      const dev = await start({ keep });
      expect((await dev.stop()).clusterKept).toBe(true);
      expect(clusterExists()).toBe(true);
    },
  );

  it('reuses a running cluster of that name, and leaves it as found even with keep never', async () => {
    const { start, clusterExists } = harness({ existingClusters: ['shop-e2e'] });
    const dev = await start({ keep: 'never' });
    expect(dev.infrastructure.trace.steps.find((s) => s.id === 'cluster')?.note).toBe(
      'reused existing cluster shop-e2e',
    );
    expect((await dev.stop()).clusterKept).toBe(true);
    expect(clusterExists()).toBe(true);
  });

  it('an abort (Ctrl-C) during a cycle cancels it, reports it cancelled, then applies the policy', async () => {
    const { start, watcher, log, clusterExists } = harness();
    const controller = new AbortController();
    const dev = await start({ keep: 'never', signal: controller.signal });
    watcher.emit(project.edit('cmd/gateway/README.txt', 'mid-edit\n'));
    await log.next('cycle-started');
    controller.abort(new Error('interrupted by SIGINT'));
    const result = await dev.done;
    expect(result.cycles.map((c) => c.outcome)).toEqual(['cancelled']);
    expect(result.cycles[0]!.editToReadyMs).toBeUndefined();
    expect(result.clusterKept).toBe(false);
    expect(clusterExists()).toBe(false);
  });

  it('`await using` stops the loop at the end of the scope', async () => {
    const { start, clusterExists } = harness();
    {
      await using _dev = await start({ keep: 'never' });
      expect(clusterExists()).toBe(true);
    }
    expect(clusterExists()).toBe(false);
  });

  it('a watcher that breaks stops the loop: `done` rejects with its error after the policy was applied', async () => {
    const { start, watcher, clusterExists } = harness();
    const dev = await start({ keep: 'never' });
    watcher.request!.onError(new Error('ENOSPC: System limit for number of file watchers reached'));
    await expect(dev.done).rejects.toThrow(/ENOSPC/);
    expect(clusterExists()).toBe(false);
  });
});

describe('a failed cycle', () => {
  it('is reported with its step and error code, and the next save tries again', async () => {
    // The ref the first edit's build will have: the simulator fails exactly that build, as podman would fail a
    // build of broken code.
    const broken = 'does not compile\n';
    const readme = join(project.root, 'cmd/gateway/README.txt');
    writeFileSync(readme, broken);
    const { hash } = await hashImageSources(
      { serviceName: 'api', imageName: 'kubernaut/api', dockerfilePath: 'docker/gateway.Dockerfile' },
      { projectRoot: project.root, env: {} },
    );
    writeFileSync(readme, 'compiles\n');
    const brokenRef = `localhost/kubernaut/api:${contentHashTag('shop-e2e', hash)}`;

    const { start, watcher, log } = harness({
      faults: [
        { op: 'build', target: brokenRef, fail: true, message: 'cmd/gateway/main.go:3:1: syntax error' },
      ],
    });
    const dev = await start({ keep: 'never' });
    const apiBefore = dev.images.api;
    watcher.emit(project.edit('cmd/gateway/README.txt', broken));
    const failed = (await log.next('cycle-finished')).report;
    expect(failed).toMatchObject({
      outcome: 'failed',
      images: ['api'],
      error: { phase: 'build', code: 'KE_COMMAND' },
    });
    expect(failed.error!.message).toMatch(/^step dev:build:api failed: .*podman build .*syntax error/s);
    expect(dev.images.api).toBe(apiBefore);

    watcher.emit(project.edit('cmd/gateway/README.txt', 'fixed\n'));
    const fixed = (await log.next('cycle-finished')).report;
    expect(fixed).toMatchObject({ cycle: 2, outcome: 'ready', images: ['api'] });
    await dev.stop();
  });

  it('refuses a negative debounce before anything runs', async () => {
    const { start, sim } = harness();
    await expect(start({ debounceMs: -1 })).rejects.toMatchObject({ code: 'KE_CONFIG' });
    expect(sim.world.events).toEqual([]);
  });
});
