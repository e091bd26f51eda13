import {
  CancelledError,
  CommandError,
  ConfigError,
  EventStream,
  type RunEvent,
  StepError,
  TimeoutError,
} from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { gatewayDeclaration } from '../__fixtures__/gateway.js';
import { planSetup } from '../plan/plan-setup.js';
import type { Pattern } from '../plan/types.js';
import { createFakeToolchain, type FakeOptions } from '../testing-internal/fake-toolchain.js';
import type { TraceStep } from '../trace/types.js';
import type { RunLedgerPort, RunPlanOptions } from './options.js';
import { runPlan } from './run-plan.js';

const SEED_BUILDS = { datastorage: 95_000, gateway: 105_000 };

function setup(fake: FakeOptions = {}, pattern: Pattern = 'dag') {
  const toolchain = createFakeToolchain({ buildMs: SEED_BUILDS, ...fake });
  const plan = planSetup(gatewayDeclaration(), { pattern });
  return { toolchain, plan };
}

function recordingLedger() {
  const log: string[] = [];
  const entries: { name: string; dispose: () => Promise<void> }[] = [];
  const ledger: RunLedgerPort = {
    record(entry) {
      log.push(`record ${entry.kind} ${entry.name}`);
      entries.push(entry);
      return entry;
    },
    release(entry) {
      log.push(`release ${(entry as { name: string }).name}`);
    },
    async cleanup(options) {
      log.push(options?.keepKinds?.length ? `cleanup keeping ${options.keepKinds.join(',')}` : 'cleanup');
      return { removed: [] };
    },
  };
  return { ledger, log, entries };
}

const step = (steps: readonly TraceStep[], id: string) => {
  const found = steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id} in trace`);
  return found;
};

describe('runPlan on a fake toolchain (virtual clock)', () => {
  it('runs independent steps at the same time and reports the exact makespan', async () => {
    const { toolchain, plan } = setup();
    const result = await runPlan(plan, toolchain);
    expect(result.ok).toBe(true);
    const t = result.trace.steps;
    // Builds and the cluster start together: that is the point of the dag pattern.
    expect([
      step(t, 'build:datastorage').start,
      step(t, 'build:gateway').start,
      step(t, 'cluster').start,
    ]).toEqual([0, 0, 0]);
    // PostgreSQL is ready long before the service images are built.
    expect(step(t, 'ready:postgresql').end).toBeLessThan(step(t, 'build:datastorage').end!);
    // gateway: build 105 s → load 15 s → apply 1 s → rollout 5 s.
    expect(result.trace.makespanMs).toBe(126_000);
    expect(result.outputs).toEqual({
      images: {
        datastorage: 'localhost/kubernaut/datastorage:fake',
        gateway: 'localhost/kubernaut/gateway:fake',
        postgres: 'docker.io/library/postgres:16.4-alpine',
        redis: 'docker.io/library/redis:7.4-alpine',
      },
      kubeconfigPath: '/tmp/kubernaut-e2e/gateway-e2e.kubeconfig',
      clusterName: 'gateway-e2e',
      clusterOwned: true,
    });
    // A successful setup's cluster is its result: it stays.
    expect(toolchain.clusters.has('gateway-e2e')).toBe(true);
    expect(result.clusterKept).toBe(true);
    expect(step(t, 'teardown:cluster')).toMatchObject({
      outcome: 'skipped',
      note: expect.stringMatching(/succeeded/),
    });
  });

  it('respects the per-resource limit', async () => {
    const { toolchain, plan } = setup();
    const result = await runPlan(plan, toolchain, { limits: { build: 1 } });
    const t = result.trace.steps;
    expect(step(t, 'build:datastorage')).toMatchObject({ start: 0, end: 95_000 });
    expect(step(t, 'build:gateway')).toMatchObject({ start: 95_000, end: 200_000 });
  });

  it('loads images whose builds finish together in one archive with loadBatching: all-runnable', async () => {
    const { toolchain, plan } = setup({ buildMs: { datastorage: 100_000, gateway: 100_000 } });
    const result = await runPlan(plan, toolchain, { loadBatching: 'all-runnable' });
    expect(toolchain.loads).toEqual([
      ['localhost/kubernaut/datastorage:fake', 'localhost/kubernaut/gateway:fake'],
    ]);
    const t = result.trace.steps;
    expect(step(t, 'load:gateway')).toMatchObject({
      start: 100_000,
      end: 120_000, // 10 s + 5 s per image
      batch: ['load:datastorage', 'load:gateway'],
    });
    expect(step(t, 'load:datastorage')).toMatchObject({ start: 100_000, end: 120_000 });
  });

  it('spreads loads over the free slots by default (fill-free-slots)', async () => {
    const { toolchain, plan } = setup({ buildMs: { datastorage: 100_000, gateway: 100_000 } });
    const result = await runPlan(plan, toolchain);
    // Two free load slots, two runnable loads: each its own archive, in parallel (15 s each).
    expect(toolchain.loads).toEqual([
      ['localhost/kubernaut/datastorage:fake'],
      ['localhost/kubernaut/gateway:fake'],
    ]);
    expect(step(result.trace.steps, 'load:gateway')).toMatchObject({ start: 100_000, end: 115_000 });
    expect(step(result.trace.steps, 'load:gateway').batch).toBeUndefined();
  });

  it('loads each image on its own under standard and hybrid', async () => {
    for (const pattern of ['standard', 'hybrid'] as const) {
      const { toolchain, plan } = setup({ buildMs: { datastorage: 100_000, gateway: 100_000 } }, pattern);
      const result = await runPlan(plan, toolchain);
      expect(result.ok).toBe(true);
      expect(toolchain.loads).toHaveLength(2);
    }
  });

  it('fails fast: cancels running steps, skips the rest, deletes the cluster and cleans the ledger', async () => {
    const { toolchain, plan } = setup({ faults: { 'build:datastorage': { kind: 'fail' } } });
    const { ledger, log } = recordingLedger();
    const events = new EventStream({ keepHistory: true });
    const result = await runPlan(plan, toolchain, { ledger, events });

    expect(result.ok).toBe(false);
    expect(result.error).toBeInstanceOf(StepError);
    expect((result.error as StepError).stepId).toBe('build:datastorage');
    expect(result.error?.cause).toBeInstanceOf(CommandError);
    expect(result.error?.message).toMatch(/step build:datastorage failed: command `fake build:datastorage`/);

    const t = result.trace.steps;
    expect(step(t, 'build:datastorage')).toMatchObject({ outcome: 'failed', end: 95_000 });
    expect(step(t, 'build:gateway')).toMatchObject({ outcome: 'cancelled', end: 95_000 });
    expect(toolchain.aborted).toContain('build:gateway');
    expect(step(t, 'load:gateway').outcome).toBe('skipped');
    expect(step(t, 'ready:gateway').outcome).toBe('skipped');
    expect(step(t, 'ready:postgresql').outcome).toBe('succeeded');

    expect(toolchain.clusters.has('gateway-e2e')).toBe(false);
    expect(step(t, 'teardown:cluster').outcome).toBe('succeeded');
    expect(result.clusterKept).toBe(false);
    expect(log).toEqual(['record cluster gateway-e2e', 'release gateway-e2e', 'cleanup']);

    const finished = events.history.filter(
      (e): e is Extract<RunEvent, { type: 'step-finished' }> => e.type === 'step-finished',
    );
    expect(finished.find((e) => e.stepId === 'build:gateway')?.outcome).toBe('cancelled');
    expect(finished.find((e) => e.stepId === 'build:datastorage')?.error?.code).toBe('KE_COMMAND');
  });

  it('waits for aborted operations to wind down (up to abortGraceMs) before cleaning up', async () => {
    for (const [ignoringMs, teardownAt] of [
      [20_000, 20_000],
      [100_000, 12_000 + 30_000],
    ] as const) {
      const { toolchain, plan } = setup({ faults: { create: { kind: 'fail' } } });
      // A build that ignores its AbortSignal, like a tool that takes a while to die.
      const stubborn = async () => {
        await toolchain.clock.sleep(ignoringMs);
      };
      const result = await runPlan(plan, toolchain, { handlers: { build: stubborn } });
      const t = result.trace.steps;
      expect(step(t, 'build:gateway')).toMatchObject({ outcome: 'cancelled', end: 12_000 });
      expect(step(t, 'teardown:cluster').start).toBe(teardownAt);
    }
  });

  it('exports logs into logsDir before deleting the cluster when the run fails', async () => {
    const { toolchain, plan } = setup({ faults: { 'rollout:deployment/redis': { kind: 'fail' } } });
    const result = await runPlan(plan, toolchain, { logsDir: '/tmp/e2e-logs' });
    expect(result.ok).toBe(false);
    const ops = toolchain.calls.map((c) => c.split(' ').slice(1).join(' '));
    expect(ops.slice(-2)).toEqual(['export-logs /tmp/e2e-logs', 'delete']);
  });

  it('retries a transient failure with backoff and then succeeds', async () => {
    const { toolchain, plan } = setup({ faults: { load: { kind: 'transient', times: 1 } } });
    const events = new EventStream({ keepHistory: true });
    const result = await runPlan(plan, toolchain, {
      retry: { load: { attempts: 3, backoffMs: 2_000 } },
      events,
    });
    expect(result.ok).toBe(true);
    const t = result.trace.steps;
    // First attempt 95–110 s fails, 2 s pause, second attempt 112–127 s.
    expect(step(t, 'load:datastorage')).toMatchObject({
      outcome: 'succeeded',
      attempt: 2,
      start: 95_000,
      end: 127_000,
    });
    expect(step(t, 'load:gateway').attempt).toBe(1);
    // DataStorage is ready at 127 + 1 + 5 s; the gateway follows with 1 + 5 s.
    expect(result.trace.makespanMs).toBe(139_000);
    const logs = events.history.filter((e) => e.type === 'log').map((e) => (e as { text: string }).text);
    expect(logs.some((text) => /attempt 1 failed \(transient\).*retrying in 2000 ms/s.test(text))).toBe(true);
  });

  it('does not retry a failure that is not transient', async () => {
    const { toolchain, plan } = setup({ faults: { 'build:gateway': { kind: 'fail' } } });
    const result = await runPlan(plan, toolchain, { retry: { build: { attempts: 3, backoffMs: 1_000 } } });
    expect(step(result.trace.steps, 'build:gateway')).toMatchObject({ outcome: 'failed', attempt: 1 });
  });

  it('gives up after the policy attempts and says how many were made', async () => {
    const { toolchain, plan } = setup({ faults: { load: { kind: 'transient', times: 5 } } });
    const result = await runPlan(plan, toolchain, { retry: { load: { attempts: 2, backoffMs: 1_000 } } });
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(/step load:datastorage failed after 2 attempts/);
  });

  it('aborts a hanging step at its timeout', async () => {
    const { toolchain, plan } = setup({ faults: { migrate: { kind: 'hang' } } });
    const result = await runPlan(plan, toolchain, { stepTimeoutMs: { migrate: 30_000 } });
    expect(result.ok).toBe(false);
    expect((result.error as StepError).stepId).toBe('migrate:migrations');
    expect(result.error?.cause).toBeInstanceOf(TimeoutError);
    const migrate = step(result.trace.steps, 'migrate:migrations');
    expect(migrate.end! - migrate.start!).toBe(30_000);
    expect(toolchain.aborted).toContain('migrate');
    // The port-forward is closed even though the migration never returned.
    expect(toolchain.closedForwards).toHaveLength(1);
  });

  it('cancels the run when its signal aborts (SIGINT) and still cleans up', async () => {
    const { toolchain, plan } = setup();
    const { ledger, log } = recordingLedger();
    const controller = new AbortController();
    void toolchain.clock.sleep(50_000).then(() => controller.abort(new Error('SIGINT')));
    const result = await runPlan(plan, toolchain, { signal: controller.signal, ledger });
    expect(result.ok).toBe(false);
    expect(result.error).toBeInstanceOf(CancelledError);
    expect(result.error?.message).toMatch(/cancelled \(SIGINT\)/);
    const t = result.trace.steps;
    expect(step(t, 'build:gateway')).toMatchObject({ outcome: 'cancelled', end: 50_000 });
    expect(step(t, 'load:gateway').outcome).toBe('skipped');
    expect(toolchain.clusters.size).toBe(0);
    expect(log).toEqual(['record cluster gateway-e2e', 'release gateway-e2e', 'cleanup']);
  });

  it('exports no logs when interrupted, and tells onFailure the run was interrupted', async () => {
    const { toolchain, plan } = setup();
    const controller = new AbortController();
    void toolchain.clock.sleep(50_000).then(() => controller.abort(new Error('SIGINT')));
    const told: boolean[] = [];
    const result = await runPlan(plan, toolchain, {
      signal: controller.signal,
      logsDir: '/tmp/e2e-logs',
      onFailure: async (failure) => {
        told.push(failure.interrupted);
      },
    });
    expect(result.ok).toBe(false);
    expect(told).toEqual([true]);
    const ops = toolchain.calls.map((c) => c.split(' ').slice(1).join(' '));
    expect(ops).not.toContain('export-logs /tmp/e2e-logs');
    expect(ops).toContain('delete');
    expect(step(result.trace.steps, 'teardown:logs').note).toMatch(/interrupted/);
  });

  it('deletes a half-created cluster when interrupted during creation', async () => {
    const { toolchain, plan } = setup();
    const controller = new AbortController();
    void toolchain.clock.sleep(5_000).then(() => controller.abort(new Error('SIGINT')));
    const result = await runPlan(plan, toolchain, { signal: controller.signal });
    expect(step(result.trace.steps, 'cluster')).toMatchObject({ outcome: 'cancelled', end: 5_000 });
    expect(step(result.trace.steps, 'teardown:cluster').outcome).toBe('succeeded');
    expect(toolchain.calls.map((c) => c.split(' ')[1])).toContain('delete');
  });

  it('has nothing to delete when the run fails before the cluster step started', async () => {
    const { toolchain, plan } = setup({ faults: { 'build:datastorage': { kind: 'fail' } } }, 'hybrid');
    const result = await runPlan(plan, toolchain, { logsDir: '/tmp/logs' });
    const t = result.trace.steps;
    expect(step(t, 'cluster').outcome).toBe('skipped');
    expect(step(t, 'teardown:logs')).toMatchObject({
      outcome: 'skipped',
      note: 'no cluster was created by this run',
    });
    expect(step(t, 'teardown:cluster')).toMatchObject({
      outcome: 'skipped',
      note: 'no cluster was created by this run',
    });
    expect(toolchain.calls.some((c) => /delete|export-logs/.test(c))).toBe(false);
    expect(result.clusterKept).toBe(false);
  });

  it('runs nothing but the finalizers when the signal is already aborted', async () => {
    const { toolchain, plan } = setup();
    const result = await runPlan(plan, toolchain, { signal: AbortSignal.abort() });
    expect(result.error).toBeInstanceOf(CancelledError);
    expect(toolchain.calls).toEqual([]);
    expect(result.trace.steps.every((s) => s.outcome === 'skipped')).toBe(true);
  });

  describe('keep policy', () => {
    const failing: FakeOptions = { faults: { 'rollout:deployment/redis': { kind: 'fail' } } };
    const cases: [RunPlanOptions, FakeOptions, boolean, RegExp | undefined][] = [
      [{ keep: 'never' }, failing, false, undefined],
      [{ keep: 'on-failure' }, failing, true, /keep: on-failure/],
      [{ keep: 'always' }, failing, true, /keep: always/],
      [{ keep: 'always', teardownOnSuccess: true }, {}, true, /keep: always/],
      [{ keep: 'on-failure', teardownOnSuccess: true }, {}, false, undefined],
      [{ keep: 'never' }, {}, true, /succeeded/],
    ];
    it.each(cases)('%j (%j) keeps the cluster: %s', async (options, fake, kept, note) => {
      const { toolchain, plan } = setup(fake);
      const result = await runPlan(plan, toolchain, options);
      expect(toolchain.clusters.has('gateway-e2e')).toBe(kept);
      expect(result.clusterKept).toBe(kept);
      const teardown = step(result.trace.steps, 'teardown:cluster');
      if (note) expect(teardown).toMatchObject({ outcome: 'skipped', note: expect.stringMatching(note) });
      else expect(teardown.outcome).toBe('succeeded');
    });

    it('never deletes a cluster that existed before the run', async () => {
      const toolchain = createFakeToolchain({
        buildMs: SEED_BUILDS,
        existingClusters: ['gateway-e2e'],
        faults: { 'rollout:deployment/redis': { kind: 'fail' } },
      });
      const declaration = gatewayDeclaration();
      const plan = planSetup({ ...declaration, cluster: { ...declaration.cluster, ifExists: 'reuse' } });
      const { ledger, log } = recordingLedger();
      const result = await runPlan(plan, toolchain, { keep: 'never', ledger });
      expect(result.ok).toBe(false);
      expect(toolchain.clusters.has('gateway-e2e')).toBe(true);
      expect(step(result.trace.steps, 'teardown:cluster').note).toMatch(/existed before this run/);
      expect(log).toEqual(['cleanup keeping cluster']);
      expect(result.outputs.clusterOwned).toBe(false);
    });

    it('reports whether the run created the cluster, so a later teardown leaves a reused one alone', async () => {
      const fresh = setup();
      const created = await runPlan(fresh.plan, fresh.toolchain);
      expect(created.outputs.clusterOwned).toBe(true);
      const toolchain = createFakeToolchain({ buildMs: SEED_BUILDS, existingClusters: ['gateway-e2e'] });
      const declaration = gatewayDeclaration();
      const plan = planSetup({ ...declaration, cluster: { ...declaration.cluster, ifExists: 'reuse' } });
      const reused = await runPlan(plan, toolchain);
      expect(reused.ok).toBe(true);
      expect(reused.outputs.clusterOwned).toBe(false);
    });

    it('spares cluster entries of the ledger when the cluster is kept', async () => {
      const { toolchain, plan } = setup();
      const { ledger, log } = recordingLedger();
      await runPlan(plan, toolchain, { ledger });
      expect(log).toEqual(['record cluster gateway-e2e', 'release gateway-e2e', 'cleanup keeping cluster']);
    });
  });

  it('emits a started and a finished event for every step that ran', async () => {
    const { toolchain, plan } = setup();
    const events = new EventStream({ keepHistory: true });
    await runPlan(plan, toolchain, { events });
    const setupIds = plan.steps.filter((s) => s.kind !== 'teardown').map((s) => s.id);
    const started = events.history
      .filter((e) => e.type === 'step-started')
      .map((e) => (e as { stepId: string }).stepId);
    expect(new Set(started)).toEqual(new Set(setupIds));
    const finishedOk = events.history.filter((e) => e.type === 'step-finished' && e.outcome === 'succeeded');
    expect(finishedOk).toHaveLength(setupIds.length);
  });

  it('rejects bad options before running anything', async () => {
    const { toolchain, plan } = setup();
    await expect(runPlan(plan, toolchain, { limits: { build: 0 } })).rejects.toThrow(ConfigError);
    await expect(
      runPlan(plan, toolchain, { retry: { load: { attempts: 0, backoffMs: 1 } } }),
    ).rejects.toThrow(/retry\.load\.attempts/);
    expect(toolchain.calls).toEqual([]);
  });
});
