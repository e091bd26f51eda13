import {
  CancelledError,
  type KubernautError,
  type LogSink,
  StepError,
  type StepOutcome,
  silentLog,
  TimeoutError,
} from '@kubernaut-e2e/core';
import type { Toolchain } from '../declaration.js';
import { defaultHandlers } from '../handlers/index.js';
import type { HandlerContext, StepHandlers } from '../handlers/types.js';
import { topologicalOrder } from '../plan/graph.js';
import type { LoadStep, Plan, PlanStep, StepResource, TeardownStep } from '../plan/types.js';
import { validatePlan } from '../plan/validate.js';
import type { Trace, TraceStep } from '../trace/types.js';
import { abortable, isTransient, messageOf } from './abortable.js';
import { checkRunOptions } from './check-options.js';
import { finalizerDecision } from './finalizers.js';
import type { RunPlanOptions, RunResult } from './options.js';
import { RunState } from './run-state.js';

type Status = 'pending' | 'running' | StepOutcome;

interface StepRecord {
  status: Status;
  start?: number;
  end?: number;
  attempts: number;
  error?: { code?: string; message: string };
  batch?: readonly string[];
  note?: string;
}

const RESOURCES: readonly StepResource[] = ['cluster', 'build', 'load', 'kube'];
const DEFAULT_LIMITS = { build: 4, load: 2, kube: 8 } as const;
const DEFAULT_ABORT_GRACE_MS = 30_000;

function errorSummary(error: unknown): { code?: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { code, message: messageOf(error) } : { message: messageOf(error) };
}

/**
 * Runs a plan against a toolchain: starts every step whose dependencies succeeded, as resource limits
 * allow; stops at the first failure (aborting running steps through their `AbortSignal`; steps not yet
 * started are reported `skipped`); then always runs the finalizers (log export on failure, the keep
 * policy, ledger cleanup). All times and sleeps come from `toolchain.clock`, so on the simulator a
 * whole run takes milliseconds and its makespan is exact.
 *
 * Never throws for a failed step: the result carries `ok: false` and a `StepError` (original error as
 * `cause`), so callers always get the trace. Throws `PlanError` / `ConfigError` for an invalid plan or
 * options, before anything runs.
 */
export async function runPlan(
  plan: Plan,
  toolchain: Toolchain,
  options: RunPlanOptions = {},
): Promise<RunResult> {
  validatePlan(plan);
  checkRunOptions(options);
  const { clock } = toolchain;
  const t0 = clock.now();
  const elapsed = () => clock.now() - t0;
  const handlers: StepHandlers = { ...defaultHandlers, ...options.handlers };
  const limits: Record<StepResource, number> = {
    cluster: Number.POSITIVE_INFINITY,
    build: options.limits?.build ?? DEFAULT_LIMITS.build,
    load: options.limits?.load ?? DEFAULT_LIMITS.load,
    kube: options.limits?.kube ?? DEFAULT_LIMITS.kube,
  };
  const events = options.events;
  const sink: LogSink = events ? events.logSink() : silentLog;
  const info = (source: string, text: string) => sink({ source, stream: 'info', text, at: clock.now() });

  let clusterEntry: unknown;
  const state = new RunState(toolchain, (name) => {
    clusterEntry = options.ledger?.record({
      kind: 'cluster',
      name,
      dispose: () => toolchain.cluster.delete(name),
    });
  });
  const records = new Map<string, StepRecord>(
    plan.steps.map((s) => [s.id, { status: 'pending', attempts: 0 }]),
  );
  const record = (id: string) => records.get(id)!;

  const finish = (step: PlanStep, outcome: StepOutcome, error?: unknown) => {
    const rec = record(step.id);
    rec.status = outcome;
    if (rec.start !== undefined) rec.end = elapsed();
    if (error !== undefined) rec.error = errorSummary(error);
    events?.emit({
      type: 'step-finished',
      stepId: step.id,
      kind: step.kind,
      outcome,
      attempt: rec.attempts,
      at: clock.now(),
      ...(rec.error ? { error: rec.error } : {}),
    });
  };

  // Handler promises still running; an aborted step is reported at once, but cleanup waits for the
  // operation itself to wind down (e.g. a killed `kind create`) before deleting what it was making.
  const inflight = new Set<Promise<void>>();

  /** One attempt of a unit (a step, or a batch of loads), bounded by its timeout and `parent`. */
  const attemptOnce = async (unit: readonly PlanStep[], unitId: string, parent: AbortSignal) => {
    const lead = unit[0]!;
    const controller = new AbortController();
    const onParentAbort = () => controller.abort(parent.reason);
    if (parent.aborted) controller.abort(parent.reason);
    else parent.addEventListener('abort', onParentAbort, { once: true });
    const timeoutMs = options.stepTimeoutMs?.[lead.kind];
    const timer = timeoutMs === undefined ? undefined : new AbortController();
    if (timer && timeoutMs !== undefined) {
      clock.sleep(timeoutMs, timer.signal).then(
        () => controller.abort(new TimeoutError(`step ${unitId}`, timeoutMs)),
        () => {},
      );
    }
    const ctx: HandlerContext = {
      signal: controller.signal,
      log: sink,
      logSource: unitId,
      toolchain,
      state,
      ...(options.logsDir === undefined ? {} : { logsDir: options.logsDir }),
      note: (text) => {
        for (const step of unit) record(step.id).note = text;
      },
    };
    const work = invoke(handlers, unit, ctx);
    inflight.add(work);
    work.then(
      () => inflight.delete(work),
      () => inflight.delete(work),
    );
    try {
      await abortable(work, controller.signal);
    } finally {
      timer?.abort();
      parent.removeEventListener('abort', onParentAbort);
    }
  };

  /** Attempts with the kind's retry policy; only transient errors are retried. */
  const attemptAll = async (unit: readonly PlanStep[], unitId: string, parent: AbortSignal) => {
    const lead = unit[0]!;
    const policy = options.retry?.[lead.kind];
    const maxAttempts = Math.max(1, policy?.attempts ?? 1);
    for (let attempt = 1; ; attempt++) {
      for (const step of unit) {
        record(step.id).attempts = attempt;
        events?.emit({
          type: 'step-started',
          stepId: step.id,
          kind: step.kind,
          label: step.label,
          attempt,
          at: clock.now(),
        });
      }
      try {
        await attemptOnce(unit, unitId, parent);
        return;
      } catch (error) {
        if (parent.aborted || !isTransient(error) || attempt >= maxAttempts || !policy) throw error;
        const pause = policy.backoffMs * 2 ** (attempt - 1);
        info(unitId, `attempt ${attempt} failed (transient): ${messageOf(error)}; retrying in ${pause} ms`);
        await clock.sleep(pause, parent);
      }
    }
  };

  // ---- main phase -------------------------------------------------------------------------------
  const main = plan.steps.filter((s) => s.kind !== 'teardown');
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const waitingOn = new Map(main.map((s) => [s.id, s.deps.length]));
  const dependents = new Map<string, string[]>();
  for (const step of main)
    for (const dep of step.deps) dependents.set(dep, [...(dependents.get(dep) ?? []), step.id]);
  const queues: Record<StepResource, PlanStep[]> = { cluster: [], build: [], load: [], kube: [] };
  const running: Record<StepResource, number> = { cluster: 0, build: 0, load: 0, kube: 0 };
  let active = 0;
  // While set, queued loads wait for the current instant to settle so loads that become runnable at
  // the same moment (builds finishing together) share one archive.
  let loadsHeld = false;
  const runController = new AbortController();
  let failure: KubernautError | undefined;
  const stop = (reason: KubernautError, abortReason: KubernautError) => {
    if (failure) return;
    failure = reason;
    runController.abort(abortReason);
  };

  let mainDone!: () => void;
  const mainFinished = new Promise<void>((resolve) => {
    mainDone = resolve;
  });

  const execute = async (unit: readonly PlanStep[]) => {
    const lead = unit[0]!;
    const unitId = unit.map((s) => s.id).join(' + ');
    running[lead.resource]++;
    active++;
    const start = elapsed();
    for (const step of unit) {
      const rec = record(step.id);
      rec.status = 'running';
      rec.start = start;
      if (unit.length > 1) rec.batch = unit.map((s) => s.id);
    }
    let failed: unknown;
    let ok = false;
    try {
      await attemptAll(unit, unitId, runController.signal);
      ok = true;
    } catch (error) {
      failed = error;
    }
    running[lead.resource]--;
    active--;
    if (ok) {
      for (const step of unit) finish(step, 'succeeded');
      for (const step of unit) {
        for (const id of dependents.get(step.id) ?? []) {
          const left = waitingOn.get(id)! - 1;
          waitingOn.set(id, left);
          if (left === 0) {
            const ready = byId.get(id)!;
            queues[ready.resource].push(ready);
            if (ready.kind === 'load' && plan.batchLoads) holdLoads();
          }
        }
      }
    } else if (failure) {
      for (const step of unit) finish(step, 'cancelled', failed);
    } else {
      for (const step of unit) finish(step, 'failed', failed);
      stop(
        new StepError(unitId, failed, { attempts: record(lead.id).attempts }),
        new CancelledError(`cancelled because step ${unitId} failed`),
      );
    }
    pump();
  };

  /** Defers queued loads to the end of the current instant (a zero sleep on the run's clock). */
  const holdLoads = () => {
    if (loadsHeld) return;
    loadsHeld = true;
    clock.sleep(0).then(
      () => {
        loadsHeld = false;
        pump();
      },
      () => {},
    );
  };

  const pump = () => {
    if (!failure) {
      for (const resource of RESOURCES) {
        if (resource === 'load' && loadsHeld) continue;
        while (queues[resource].length > 0 && running[resource] < limits[resource]) {
          const first = queues[resource].shift()!;
          let unit: PlanStep[] = [first];
          if (first.kind === 'load' && plan.batchLoads) {
            // Every other load that is runnable right now goes into the same archive.
            unit = [first, ...queues[resource].filter((s) => s.kind === 'load')];
            queues[resource] = queues[resource].filter((s) => s.kind !== 'load');
          }
          void execute(unit);
        }
      }
    }
    const queued = RESOURCES.some((r) => queues[r].length > 0);
    if (active === 0 && (failure !== undefined || !queued)) mainDone();
  };

  const onExternalAbort = () => {
    const reason: unknown = options.signal?.reason;
    const detail =
      reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
    const error = new CancelledError(
      `the run was cancelled (${detail}); running steps were aborted and cleanup ran`,
      {
        cause: reason,
      },
    );
    stop(error, new CancelledError(`cancelled: ${detail}`, { cause: reason }));
    pump();
  };

  for (const step of main) if (step.deps.length === 0) queues[step.resource].push(step);
  if (options.signal?.aborted) onExternalAbort();
  else {
    options.signal?.addEventListener('abort', onExternalAbort, { once: true });
    pump();
  }
  await mainFinished;
  options.signal?.removeEventListener('abort', onExternalAbort);
  for (const step of main) if (record(step.id).status === 'pending') finish(step, 'skipped');
  const makespanMs = Math.max(0, ...main.map((s) => record(s.id).end ?? 0));

  // ---- finalizers -------------------------------------------------------------------------------
  if (inflight.size > 0) {
    const grace = new AbortController();
    await Promise.race([
      Promise.allSettled([...inflight]),
      clock.sleep(options.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS, grace.signal).catch(() => {}),
    ]);
    grace.abort();
  }
  const failed = failure !== undefined;
  const finalizerErrors: KubernautError[] = [];
  const finalizers = new AbortController(); // never the run's signal: cleanup must not be cancelled with it
  let clusterDeleted = false;
  const teardownSteps = plan.steps.filter((s): s is TeardownStep => s.kind === 'teardown');
  const teardownOrder = topologicalOrder(teardownSteps).map((id) => byId.get(id) as TeardownStep);
  for (const step of teardownOrder) {
    const decision = finalizerDecision(step, {
      failed,
      keep: options.keep ?? 'never',
      teardownOnSuccess: options.teardownOnSuccess ?? false,
      ...(options.logsDir === undefined ? {} : { logsDir: options.logsDir }),
      ...(state.cluster ? { cluster: state.cluster } : {}),
    });
    if (!decision.run) {
      record(step.id).note = decision.reason;
      finish(step, 'skipped');
      continue;
    }
    record(step.id).start = elapsed();
    try {
      await attemptAll([step], step.id, finalizers.signal);
      finish(step, 'succeeded');
      if (step.payload.action === 'delete-cluster') clusterDeleted = true;
    } catch (error) {
      finish(step, 'failed', error);
      finalizerErrors.push(new StepError(step.id, error, { attempts: record(step.id).attempts }));
    }
  }
  // The ledger entry only guards against an interrupted run; a kept or deleted cluster leaves it. A
  // failed deletion stays recorded, so the ledger's cleanup tries once more.
  const deleteFailed = record('teardown:cluster')?.status === 'failed';
  if (clusterEntry !== undefined && !deleteFailed) options.ledger?.release(clusterEntry);
  const cluster = state.cluster;
  const clusterKept =
    cluster !== undefined && !clusterDeleted && (state.clusterCreated || !cluster.owned || deleteFailed);
  let ledgerCleanup: unknown;
  if (options.ledger) {
    try {
      // An adapter may have recorded the cluster in the same ledger: spare it when the run keeps it.
      ledgerCleanup = await options.ledger.cleanup(clusterKept ? { keepKinds: ['cluster'] } : {});
    } catch (error) {
      finalizerErrors.push(new StepError('ledger-cleanup', error));
    }
  }

  const trace: Trace = {
    service: plan.service,
    strategy: plan.strategy,
    makespanMs,
    steps: plan.steps.map((step): TraceStep => {
      const rec = record(step.id);
      return {
        id: step.id,
        kind: step.kind,
        label: step.label,
        resource: step.resource,
        deps: step.deps,
        outcome: rec.status === 'pending' || rec.status === 'running' ? 'skipped' : rec.status,
        ...(rec.start === undefined ? {} : { start: rec.start }),
        ...(rec.end === undefined ? {} : { end: rec.end }),
        attempts: rec.attempts,
        ...(rec.error ? { error: rec.error } : {}),
        ...(rec.batch ? { batch: rec.batch } : {}),
        ...(rec.note === undefined ? {} : { note: rec.note }),
      };
    }),
  };
  const clusterStep = plan.steps.find((s) => s.kind === 'create-cluster');
  const error = failure ?? finalizerErrors[0];
  return {
    ok: error === undefined,
    trace,
    outputs: {
      images: { ...state.images },
      kubeconfigPath:
        cluster?.kubeconfigPath ??
        (clusterStep?.kind === 'create-cluster' ? clusterStep.payload.kubeconfigPath : ''),
      clusterName: cluster?.name ?? (clusterStep?.kind === 'create-cluster' ? clusterStep.payload.name : ''),
    },
    ...(error ? { error } : {}),
    finalizerErrors,
    clusterKept,
    ...(options.ledger ? { ledgerCleanup } : {}),
  };
}

function invoke(handlers: StepHandlers, unit: readonly PlanStep[], ctx: HandlerContext): Promise<void> {
  const lead = unit[0]!;
  switch (lead.kind) {
    case 'build':
      return handlers.build(lead, ctx);
    case 'create-cluster':
      return handlers['create-cluster'](lead, ctx);
    case 'install-crds':
      return handlers['install-crds'](lead, ctx);
    case 'namespace':
      return handlers.namespace(lead, ctx);
    case 'load':
      return handlers.load(unit as readonly LoadStep[], ctx);
    case 'deploy':
      return handlers.deploy(lead, ctx);
    case 'wait-ready':
      return handlers['wait-ready'](lead, ctx);
    case 'migrate':
      return handlers.migrate(lead, ctx);
    case 'teardown':
      return handlers.teardown(lead, ctx);
  }
}
