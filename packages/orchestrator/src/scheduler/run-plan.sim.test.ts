/**
 * The scheduler against the real simulator (`@kubernaut-e2e/sim`, default timing profile): exact virtual
 * makespans per pattern, the sim's rules (ErrImageNeverPull), and failure handling with its faults.
 */
import { CancelledError, PodFailedError, RunLedger, type StepError, TimeoutError } from '@kubernaut-e2e/core';
import { createSimToolchain, type FaultPlan } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { gateway, gatewayDeclaration } from '../__fixtures__/gateway.js';
import { planSetup } from '../plan/plan-setup.js';
import type { Pattern } from '../plan/types.js';
import type { RunLedgerPort } from './options.js';
import { runPlan } from './run-plan.js';

const run = (pattern: Pattern, faults: FaultPlan = [], options: Parameters<typeof runPlan>[2] = {}) => {
  const toolchain = createSimToolchain({ faults });
  return { toolchain, result: runPlan(planSetup(gatewayDeclaration(), { pattern }), toolchain, options) };
};

describe('runPlan on the simulator (default profile)', () => {
  it.each([
    ['standard', 173_000],
    ['hybrid', 168_000],
    ['dag', 128_000],
  ] as const)('sets the gateway up under %s in exactly %d virtual ms', async (pattern, makespan) => {
    const { toolchain, result } = run(pattern);
    const { ok, trace, outputs } = await result;
    expect(ok).toBe(true);
    expect(trace.makespanMs).toBe(makespan);
    const cluster = toolchain.world.clusters.get('gateway-e2e')!;
    // The built images were loaded; postgres and redis, which this machine's engine does not hold, are pulled.
    expect(cluster.nodeImages.has(outputs.images.gateway!)).toBe(true);
    expect(cluster.nodeImages.has(outputs.images.datastorage!)).toBe(true);
    expect(outputs.images.postgres).toBe('docker.io/library/postgres:16.4-alpine');
    expect([...cluster.deployments.keys()].sort()).toEqual(
      expect.arrayContaining([expect.stringContaining('gateway'), expect.stringContaining('postgresql')]),
    );
  });

  it.each([
    ['all-runnable', 50_000],
    ['fill-free-slots', 47_000],
  ] as const)('warm cache, fresh cluster, loadBatching %s: %d virtual ms', async (loadBatching, makespan) => {
    // Cached builds (1 s) are both ready long before the cluster (12 s), so both loads become runnable
    // together: one archive costs 10 + 2 × 5 s, two parallel archives 10 + 5 s each.
    const toolchain = createSimToolchain({ cachedImages: 'all' });
    const { trace } = await runPlan(planSetup(gatewayDeclaration()), toolchain, { loadBatching });
    expect(trace.makespanMs).toBe(makespan);
  });

  it('a deployment whose image was never loaded does not become ready (ErrImageNeverPull)', async () => {
    const toolchain = createSimToolchain();
    const impatient = { ...gateway, rolloutTimeoutMs: 30_000 };
    const declaration = gatewayDeclaration();
    const plan = planSetup({
      ...declaration,
      components: declaration.components.map((c) => (c.id === 'gateway' ? impatient : c)),
    });
    // A loader that "forgets" the gateway image: the sim must refuse to run the pod.
    const result = await runPlan(plan, toolchain, {
      handlers: {
        load: async (steps, ctx) => {
          const refs = steps
            .filter((s) => s.payload.imageId !== 'gateway' && s.payload.external === undefined)
            .map((s) => ctx.state.imageRef(s.payload.imageId));
          await ctx.toolchain.imageLoader.load(refs, ctx.state.cluster!.name, ctx);
        },
      },
    });
    expect(result.ok).toBe(false);
    expect((result.error as StepError).stepId).toBe('ready:gateway');
    // Certain at the first read of the pod: the wait fails then, with the cause, not at its 30 s deadline.
    expect(result.error?.cause).toBeInstanceOf(PodFailedError);
    expect(result.error?.message).toMatch(
      /image localhost\/kubernaut\/gateway:\S+ of container gateway was not loaded onto the cluster's nodes/,
    );
    const ready = result.trace.steps.find((s) => s.id === 'ready:gateway')!;
    expect(ready.end! - ready.start!).toBeLessThan(30_000);
  });

  it('hands the load step the image IDs its builds reported (a registry push then needs no inspect)', async () => {
    const toolchain = createSimToolchain();
    const built = new Map<string, string>();
    const known: (Readonly<Record<string, string>> | undefined)[] = [];
    const result = await runPlan(planSetup(gatewayDeclaration(), { pattern: 'dag' }), {
      ...toolchain,
      imageBuilder: {
        build: async (config, ctx) => {
          const image = await toolchain.imageBuilder.build(config, ctx);
          built.set(image.ref, image.id);
          return image;
        },
      },
      imageLoader: {
        load: (refs, cluster, ctx, given) => {
          known.push(given?.imageIds);
          return toolchain.imageLoader.load(refs, cluster, ctx, given);
        },
        held: (refs) => toolchain.imageLoader.held(refs),
      },
    });
    expect(result.ok).toBe(true);
    expect(built.size).toBe(2);
    expect(Object.assign({}, ...known)).toEqual(Object.fromEntries(built));
  });

  it('fails fast on a build failure, deletes the cluster and cleans a real RunLedger', async () => {
    const ledger = new RunLedger();
    const { toolchain, result } = run(
      'dag',
      [{ op: 'build', target: 'datastorage', fail: true, afterMs: 60_000 }],
      {
        ledger: ledger satisfies RunLedgerPort,
      },
    );
    const { ok, error, trace } = await result;
    expect(ok).toBe(false);
    expect((error as StepError).stepId).toBe('build:datastorage');
    const gatewayBuild = trace.steps.find((s) => s.id === 'build:gateway')!;
    expect(gatewayBuild).toMatchObject({ outcome: 'cancelled', end: 60_000 });
    expect(trace.steps.find((s) => s.id === 'ready:gateway')?.outcome).toBe('skipped');
    expect(toolchain.world.clusters.size).toBe(0);
    expect(ledger.entries).toEqual([]);
  });

  it('keeps the cluster of a successful setup even when an adapter recorded it in the same ledger', async () => {
    const toolchain = createSimToolchain();
    const ledger = new RunLedger();
    // What a real cluster adapter does: record the cluster so an interrupted run deletes it.
    ledger.record({
      kind: 'cluster',
      name: 'gateway-e2e',
      dispose: () => toolchain.cluster.delete('gateway-e2e'),
    });
    const result = await runPlan(planSetup(gatewayDeclaration()), toolchain, { ledger });
    expect(result.ok).toBe(true);
    expect(toolchain.world.clusters.has('gateway-e2e')).toBe(true);
  });

  it('retries a transient load failure and still sets up', async () => {
    const { result } = run('dag', [{ op: 'load', failTransient: 1 }], {
      retry: { load: { attempts: 2, backoffMs: 1_000 } },
    });
    const { ok, trace } = await result;
    expect(ok).toBe(true);
    // The built images' archive failed once and was retried (the external preloads found nothing to load).
    const loads = trace.steps.filter((s) => s.id === 'load:gateway' || s.id === 'load:datastorage');
    expect(loads.map((s) => s.attempt).sort()).toEqual([1, 2]);
  });

  it('times out a hanging migration, closing its port-forward', async () => {
    const { toolchain, result } = run('dag', [{ op: 'migrate', hang: true }], {
      stepTimeoutMs: { migrate: 45_000 },
      keep: 'on-failure',
    });
    const { ok, error, trace, clusterKept } = await result;
    expect(ok).toBe(false);
    expect(error?.cause).toBeInstanceOf(TimeoutError);
    const migrate = trace.steps.find((s) => s.id === 'migrate:migrations')!;
    expect(migrate.end! - migrate.start!).toBe(45_000);
    expect(toolchain.world.portForwards.size).toBe(0);
    // keep: on-failure leaves the cluster for debugging.
    expect(clusterKept).toBe(true);
    expect(toolchain.world.clusters.has('gateway-e2e')).toBe(true);
  });

  it('cleans up when interrupted mid-run (SIGINT → abort)', async () => {
    const toolchain = createSimToolchain();
    const controller = new AbortController();
    void toolchain.clock.sleep(100_000).then(() => controller.abort('SIGINT'));
    const ledger = new RunLedger();
    const result = await runPlan(planSetup(gatewayDeclaration()), toolchain, {
      signal: controller.signal,
      ledger,
    });
    expect(result.error).toBeInstanceOf(CancelledError);
    const running = result.trace.steps.filter((s) => s.outcome === 'cancelled').map((s) => s.id);
    expect(running).toEqual(['build:gateway', 'load:datastorage']);
    expect(toolchain.world.clusters.size).toBe(0);
    expect(ledger.entries).toEqual([]);
  });
});
