import type { Toolchain } from '@kubernaut-e2e/core';
import { type LogSink, StepError, silentLog } from '@kubernaut-e2e/core';
import { defaultHandlers } from '../handlers/index.js';
import type { CreateClusterStep, Plan, StepResource } from '../plan/types.js';
import { validatePlan } from '../plan/validate.js';
import { AttemptRunner } from './attempts.js';
import { checkRunOptions } from './check-options.js';
import { runFinalizers } from './finalizers.js';
import { runMainPhase } from './main-phase.js';
import type { RunPlanOptions, RunResult } from './options.js';
import { RunState } from './run-state.js';
import { StepBook } from './step-book.js';

export const DEFAULT_LIMITS = { build: 4, load: 2, kube: 8 } as const;
const DEFAULT_ABORT_GRACE_MS = 30_000;

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
  const log: LogSink = options.events ? options.events.logSink() : silentLog;
  const book = new StepBook(plan, clock, options.events);
  let clusterEntry: unknown;
  const kubeconfigPath = plan.steps.find((s): s is CreateClusterStep => s.kind === 'create-cluster')?.payload
    .kubeconfigPath;
  const state = new RunState(toolchain, (name) => {
    // Recorded before `create`, so a SIGINT cleanup of the ledger deletes a half-created cluster too.
    const kind = toolchain.cluster.name === 'kind';
    clusterEntry = options.ledger?.record({
      kind: 'cluster',
      name,
      dispose: () => toolchain.cluster.delete(name),
      exists: () => toolchain.cluster.exists(name),
      ...(kind ? { removeCommand: ['kind', 'delete', 'cluster', '--name', name] } : {}),
      resource: {
        tool: toolchain.cluster.name,
        ...(kubeconfigPath ? { details: { kubeconfig: kubeconfigPath } } : {}),
      },
    });
  });
  // An external image is known by its pinned reference from the start; a registry push may rename it.
  for (const step of plan.steps)
    if (step.kind === 'load' && step.payload.external !== undefined)
      state.images[step.payload.imageId] = step.payload.external;
  const attempts = new AttemptRunner({
    toolchain,
    handlers: { ...defaultHandlers, ...options.handlers },
    state,
    book,
    log,
    options,
  });
  const limits: Record<StepResource, number> = {
    cluster: Number.POSITIVE_INFINITY,
    build: options.limits?.build ?? DEFAULT_LIMITS.build,
    load: options.limits?.load ?? DEFAULT_LIMITS.load,
    kube: options.limits?.kube ?? DEFAULT_LIMITS.kube,
  };

  const failure = await runMainPhase(plan, {
    book,
    attempts,
    limits,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.loadBatching ? { loadBatching: options.loadBatching } : {}),
    endOfInstant: () => clock.sleep(0).catch(() => {}),
  });
  const makespanMs = Math.max(
    0,
    ...plan.steps.filter((s) => s.kind !== 'teardown').map((s) => book.end(s.id) ?? 0),
  );

  // Cleanup waits for aborted operations (e.g. a killed `kind create`) before deleting around them.
  await attempts.drain(options.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS);
  if (failure !== undefined && options.onFailure) {
    // Before the finalizers: the cluster is still there to be looked at.
    await options
      .onFailure({
        error: failure,
        interrupted: options.signal?.aborted === true,
        trace: book.toTrace(makespanMs),
        ...(state.cluster
          ? { cluster: { name: state.cluster.name, kubeconfigPath: state.cluster.kubeconfigPath } }
          : {}),
      })
      .catch(() => {});
  }
  const finalizers = await runFinalizers(
    plan,
    {
      failed: failure !== undefined,
      interrupted: options.signal?.aborted === true,
      keep: options.keep ?? 'never',
      teardownOnSuccess: options.teardownOnSuccess ?? false,
      ...(options.logsDir === undefined ? {} : { logsDir: options.logsDir }),
      ...(state.cluster ? { cluster: state.cluster } : {}),
    },
    book,
    attempts,
  );
  const errors = [...finalizers.errors];
  const cluster = state.cluster;
  // Kept on purpose: the run succeeded, the keep policy spared it, or it existed before the run. A cluster
  // whose deletion failed is not kept: the ledger's cleanup tries once more (and reports it if it stays).
  const clusterKept =
    cluster !== undefined &&
    !finalizers.clusterDeleted &&
    !finalizers.deleteFailed &&
    (state.clusterCreated || !cluster.owned);
  // The ledger entry only guards against an interrupted run; a kept or deleted cluster leaves it. The
  // finalizer owns deleting the cluster of a run that ended: once it did, every entry for that cluster (an
  // adapter may have recorded it too) is forgotten, so cleanup never runs a second `kind delete`.
  if (cluster && finalizers.clusterDeleted && options.ledger?.forget) {
    options.ledger.forget('cluster', cluster.name);
  } else if (clusterEntry !== undefined && !finalizers.deleteFailed) {
    options.ledger?.release(clusterEntry);
  }
  let ledgerCleanup: unknown;
  if (options.ledger && options.cleanupLedger !== false) {
    try {
      // An adapter may have recorded the cluster in the same ledger: spare it when the run keeps it.
      ledgerCleanup = await options.ledger.cleanup(clusterKept ? { keepKinds: ['cluster'] } : {});
    } catch (error) {
      errors.push(new StepError('ledger-cleanup', error));
    }
  }

  const request = plan.steps.find((s): s is CreateClusterStep => s.kind === 'create-cluster')?.payload;
  const error = failure ?? errors[0];
  return {
    ok: error === undefined,
    trace: book.toTrace(makespanMs),
    outputs: {
      images: { ...state.images },
      kubeconfigPath: cluster?.kubeconfigPath ?? request?.kubeconfigPath ?? '',
      clusterName: cluster?.name ?? request?.name ?? '',
      clusterOwned: cluster?.owned ?? false,
    },
    ...(error ? { error } : {}),
    finalizerErrors: errors,
    clusterKept,
    ...(options.ledger ? { ledgerCleanup } : {}),
  };
}
