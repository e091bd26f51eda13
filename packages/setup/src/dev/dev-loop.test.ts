import { join } from 'node:path';
import { normalizeImageRef } from '@kubernaut-e2e/core';
import { createSimToolchain, type SimToolchain } from '@kubernaut-e2e/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFixtureProject, eventLog, injectedWatcher, shopService } from '../testing-internal/dev-loop.js';
import { startDevLoop } from './start-dev-loop.js';
import type { DevLoop, DevLoopOptions } from './types.js';

/*
 * The dev loop on the simulated toolchain: real files in a copy of the fixture project (hashed for real), changes
 * reported by an injected watcher, every port simulated on a virtual clock, so durations are exact.
 */
let project: ReturnType<typeof copyFixtureProject>;
let sim: SimToolchain;
let watcher: ReturnType<typeof injectedWatcher>;
let log: ReturnType<typeof eventLog>;
let loop: DevLoop | undefined;

const start = (options: Partial<DevLoopOptions> = {}) =>
  startDevLoop(shopService, {
    toolchain: sim,
    projectRoot: project.root,
    env: {},
    keep: 'never',
    watch: watcher.watch,
    onEvent: log.onEvent,
    ...options,
  }).then((started) => {
    loop = started;
    return started;
  });
const deploymentImage = (name: string) =>
  sim.world.clusters.get('shop-e2e')!.deployment('kubernaut-system', name)!.images[0];

beforeEach(() => {
  project = copyFixtureProject();
  sim = createSimToolchain();
  watcher = injectedWatcher();
  log = eventLog();
});
afterEach(async () => {
  await loop?.stop();
  loop = undefined;
  project.remove();
});

describe('startDevLoop on the simulated toolchain', () => {
  it('rebuilds only the image whose files changed, loads it, rolls every deployment running it, and reports edit to ready', async () => {
    const dev = await start();
    const before = dev.images;
    expect(deploymentImage('api')).toBe(before.api);

    watcher.emit(project.edit('cmd/gateway/README.txt', 'gateway, one line changed\n'));
    const { report } = await log.next('cycle-finished');

    expect(report).toMatchObject({
      cycle: 1,
      images: ['api'],
      changedPaths: ['cmd/gateway/README.txt'],
      outcome: 'ready',
      rolled: ['deployment/api', 'deployment/api-worker'],
    });
    const newRef = report.refs.api!;
    expect(newRef).toMatch(/^localhost\/kubernaut\/api:shop-e2e-[0-9a-f]{16}$/);
    expect(newRef).not.toBe(before.api);
    expect(dev.images).toEqual({ api: newRef, store: before.store });
    // What the cluster runs: the new image is on the node and in both deployments; the store was not touched.
    expect(sim.world.clusters.get('shop-e2e')!.nodeImages.has(normalizeImageRef(newRef))).toBe(true);
    expect(deploymentImage('api')).toBe(newRef);
    expect(deploymentImage('api-worker')).toBe(newRef);
    expect(deploymentImage('store')).toBe(before.store);
    // Edit to ready is the whole of it: the debounce, the build, the load and the rollouts, on the virtual clock.
    expect(report.phasesMs.wait).toBe(300);
    expect(report.phasesMs.build).toBe(sim.profile.build.defaultMs);
    expect(report.editToReadyMs).toBe(Object.values(report.phasesMs).reduce((sum, ms) => sum + (ms ?? 0), 0));
    expect(report.editToReadyMs).toBe(report.finishedAt - report.firstEditAt);
  });

  it('turns a burst of edits into one cycle that starts once the edits stop', async () => {
    const dev = await start();
    const clock = sim.clock;
    const firstEditAt = clock.now();
    watcher.emit(project.edit('cmd/gateway/README.txt', 'edit 1\n'));
    await clock.sleep(100);
    watcher.emit(project.edit('cmd/gateway/README.txt', 'edit 2\n'));
    await clock.sleep(100);
    watcher.emit(project.edit('cmd/gateway/extra.txt', 'a new file\n'));
    await dev.idle();

    expect(dev.cycles).toHaveLength(1);
    const [report] = dev.cycles;
    expect(report!.firstEditAt).toBe(firstEditAt);
    // The last edit came 200 ms after the first; the cycle waited 300 ms more.
    expect(report!.phasesMs.wait).toBe(500);
    expect(report!.changedPaths).toEqual(['cmd/gateway/README.txt', 'cmd/gateway/extra.txt']);
  });

  it('rebuilds both images in one cycle when one burst touches both, with one load', async () => {
    const dev = await start({ debounceMs: 1_000 });
    const loadStarts = () => sim.world.events.filter((e) => e.op === 'load' && e.phase === 'start').length;
    const atSetup = loadStarts();
    watcher.emit(project.edit('cmd/gateway/README.txt', 'api changed\n'));
    watcher.emit(project.edit('cmd/datastorage/README.txt', 'store changed\n'));
    await dev.idle();

    expect(dev.cycles.map((c) => [...c.images].sort())).toEqual([['api', 'store']]);
    expect([...dev.cycles[0]!.rolled].sort()).toEqual([
      'deployment/api',
      'deployment/api-worker',
      'deployment/store',
    ]);
    expect(dev.cycles[0]!.phasesMs.wait).toBe(1_000);
    // One load in the cycle, for both images.
    expect(loadStarts() - atSetup).toBe(1);
  });

  it('never runs two cycles on the same image at once, and edits to another image do not wait', async () => {
    const dev = await start();
    watcher.emit(project.edit('cmd/gateway/README.txt', 'api v2\n'));
    await log.next('cycle-started');
    // While the api builds: the api changes again, and so does the store.
    watcher.emit(project.edit('cmd/gateway/README.txt', 'api v3\n'));
    watcher.emit(project.edit('cmd/datastorage/README.txt', 'store v2\n'));
    await dev.idle();

    const started = log.events.flatMap((e) => (e.type === 'cycle-started' ? [e] : []));
    const finished = new Map(dev.cycles.map((c) => [c.cycle, c]));
    expect(started.map((s) => s.images)).toEqual([['api'], ['store'], ['api']]);
    const [apiFirst, store, apiSecond] = started;
    // The store's cycle ran alongside the api's first; the api's second began only after its first ended.
    expect(store!.at).toBeLessThan(finished.get(apiFirst!.cycle)!.finishedAt);
    expect(apiSecond!.at).toBeGreaterThanOrEqual(finished.get(apiFirst!.cycle)!.finishedAt);
    expect(dev.cycles.every((c) => c.outcome === 'ready')).toBe(true);
    // The second api cycle counts from the edit that queued it, so its time includes the wait.
    const queued = finished.get(apiSecond!.cycle)!;
    expect(queued.phasesMs.wait).toBeGreaterThan(sim.profile.build.defaultMs);
    expect(deploymentImage('api')).toBe(queued.refs.api);
  });

  it('starts no cycle for a save that changes no image: unchanged content, or a file no build reads', async () => {
    const dev = await start();
    watcher.emit(project.edit('cmd/gateway/README.txt', 'saved once\n'));
    await dev.idle();
    expect(dev.cycles).toHaveLength(1);
    // Saved again with the same content: the hash is what the cluster runs.
    watcher.emit(project.edit('cmd/gateway/README.txt', 'saved once\n'));
    await log.next('unchanged');
    // Read by no build: the notification's sources, a dockerignored migration.
    watcher.emit(project.edit('cmd/notification/README.txt', 'not built by shop\n'));
    watcher.emit(project.edit('migrations/001_create_audit_events.sql', '-- excluded by .dockerignore\n'));
    await dev.idle();
    expect(dev.cycles).toHaveLength(1);
    expect(log.events.filter((e) => e.type === 'unchanged')).toHaveLength(1);
  });

  it('asks the watcher for the contexts only, and to skip what no build reads', async () => {
    await start();
    const request = watcher.request!;
    expect(request.roots).toEqual([project.root]);
    const skipped = (path: string, isDirectory?: boolean) =>
      request.ignored(join(project.root, path), isDirectory);
    expect(skipped('cmd', true)).toBe(false);
    expect(skipped('cmd/gateway', true)).toBe(false);
    expect(skipped('cmd/gateway/main.go', false)).toBe(false);
    expect(skipped('docker/gateway.Dockerfile', false)).toBe(false);
    expect(skipped('cmd/notification', true)).toBe(true);
    expect(skipped('migrations', true)).toBe(true);
    expect(skipped('config/crd/bases', true)).toBe(true);
  });

  it('in registry mode pushes the rebuilt image and rolls the deployments onto its registry name', async () => {
    sim = createSimToolchain({ registry: 'localhost:5001' });
    const dev = await start({ registry: { url: 'localhost:5001' } });
    watcher.emit(project.edit('cmd/gateway/README.txt', 'pushed, not loaded\n'));
    const { report } = await log.next('cycle-finished');
    expect(report.outcome).toBe('ready');
    expect(report.refs.api).toMatch(/^localhost:5001\/kubernaut\/api:shop-e2e-[0-9a-f]{16}$/);
    expect(sim.world.registry.has(report.refs.api!)).toBe(true);
    expect(deploymentImage('api')).toBe(report.refs.api);
    expect(dev.images.api).toBe(report.refs.api);
  });

  it('follows a Dockerfile edit: the image rebuilds, and the files it now copies count from then on', async () => {
    const dev = await start();
    watcher.emit(
      project.edit(
        'docker/gateway.Dockerfile',
        'FROM scratch\nCOPY cmd/gateway/ /app/\nCOPY cmd/notification/ /app/notification/\n',
      ),
    );
    await dev.idle();
    expect(dev.cycles.map((c) => c.images)).toEqual([['api']]);
    watcher.emit(project.edit('cmd/notification/README.txt', 'now copied into the api image\n'));
    await dev.idle();
    expect(dev.cycles.map((c) => c.images)).toEqual([['api'], ['api']]);
  });
});
