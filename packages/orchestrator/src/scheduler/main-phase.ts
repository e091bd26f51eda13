import { setMaxListeners } from 'node:events';
import { CancelledError, type KubernautError, StepError } from '@kubernaut-e2e/core';
import type { Plan, PlanStep, StepResource } from '../plan/types.js';
import type { AttemptRunner } from './attempts.js';
import { batchLoads, chainLengths } from './batch-loads.js';
import type { LoadBatching } from './options.js';
import type { StepBook } from './step-book.js';

const RESOURCES: readonly StepResource[] = ['cluster', 'build', 'load', 'kube'];

export interface MainPhaseDeps {
  readonly book: StepBook;
  readonly attempts: AttemptRunner;
  readonly limits: Readonly<Record<StepResource, number>>;
  /** Aborting cancels the phase (SIGINT). */
  readonly signal?: AbortSignal;
  /** How runnable loads are grouped into archives when the plan batches loads. */
  readonly loadBatching?: LoadBatching;
  /** A zero sleep on the run's clock: resolves once everything due at this instant has run. */
  readonly endOfInstant: () => Promise<void>;
}

/**
 * Runs every setup (non-teardown) step of the plan: starts each step once all its dependencies
 * succeeded and its resource has a free slot; on the first failure (or an abort) it aborts the running
 * steps and starts nothing more. Resolves, once nothing runs any more, with the failure (a `StepError`
 * naming the step, or a `CancelledError`) or `undefined` when every step succeeded. Steps never started
 * are recorded as skipped.
 */
export function runMainPhase(plan: Plan, deps: MainPhaseDeps): Promise<KubernautError | undefined> {
  const { book, attempts, limits, signal } = deps;
  const main = plan.steps.filter((s) => s.kind !== 'teardown');
  const byId = new Map(main.map((s) => [s.id, s]));
  const waitingOn = new Map(main.map((s) => [s.id, s.deps.length]));
  const dependents = new Map<string, string[]>();
  for (const step of main) {
    for (const dep of step.deps) dependents.set(dep, [...(dependents.get(dep) ?? []), step.id]);
  }
  const urgency = chainLengths(main);
  const queues: Record<StepResource, PlanStep[]> = { cluster: [], build: [], load: [], kube: [] };
  const running: Record<StepResource, number> = { cluster: 0, build: 0, load: 0, kube: 0 };
  let active = 0;
  // While set, queued loads wait for the current instant to settle, so loads that become runnable at
  // the same moment (builds finishing together) share one archive.
  let loadsHeld = false;
  const runController = new AbortController();
  // Every running step listens to the run's signal: as many listeners as steps run at once, not a leak.
  setMaxListeners(0, runController.signal);
  let failure: KubernautError | undefined;

  return new Promise((resolve) => {
    const stop = (reason: KubernautError, abortReason: KubernautError) => {
      if (failure) return;
      failure = reason;
      runController.abort(abortReason);
    };

    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      for (const step of main) if (book.status(step.id) === 'pending') book.finish(step, 'skipped');
      resolve(failure);
    };

    const holdLoads = () => {
      if (loadsHeld) return;
      loadsHeld = true;
      deps.endOfInstant().then(() => {
        loadsHeld = false;
        pump();
      });
    };

    const release = (step: PlanStep) => {
      for (const id of dependents.get(step.id) ?? []) {
        const left = waitingOn.get(id)! - 1;
        waitingOn.set(id, left);
        if (left > 0) continue;
        const ready = byId.get(id)!;
        queues[ready.resource].push(ready);
        if (ready.kind === 'load' && plan.batchLoads) holdLoads();
      }
    };

    const execute = async (unit: readonly PlanStep[]) => {
      const lead = unit[0]!;
      const unitId = unit.map((s) => s.id).join(' + ');
      running[lead.resource]++;
      active++;
      book.begin(unit);
      let error: unknown;
      let ok = false;
      try {
        await attempts.run(unit, unitId, runController.signal);
        ok = true;
      } catch (caught) {
        error = caught;
      }
      running[lead.resource]--;
      active--;
      if (ok) {
        for (const step of unit) book.finish(step, 'succeeded');
        for (const step of unit) release(step);
      } else if (failure) {
        for (const step of unit) book.finish(step, 'cancelled', error);
      } else {
        for (const step of unit) book.finish(step, 'failed', error);
        stop(
          new StepError(unitId, error, { attempts: book.attempts(lead.id) }),
          new CancelledError(`cancelled because step ${unitId} failed`),
        );
      }
      pump();
    };

    /** Whether a load not runnable yet (its image still building) heads a longer chain than every queued one. */
    const moreUrgentPending = () => {
      const queued = Math.max(...queues.load.map((step) => urgency.get(step.id) ?? 0));
      return main.some(
        (step) =>
          step.kind === 'load' &&
          book.status(step.id) === 'pending' &&
          !queues.load.includes(step) &&
          (urgency.get(step.id) ?? 0) >= queued,
      );
    };

    const pump = () => {
      if (!failure) {
        for (const resource of RESOURCES) {
          if (resource === 'load' && loadsHeld) continue;
          while (queues[resource].length > 0 && running[resource] < limits[resource]) {
            if (resource === 'load' && plan.batchLoads) {
              // Loads runnable at this instant share archives instead of queueing one by one. Filling free slots,
              // the last one stays free for a more urgent load whose image is still building.
              const fill = (deps.loadBatching ?? 'fill-free-slots') === 'fill-free-slots';
              const slots = fill ? limits.load - running.load - (moreUrgentPending() ? 1 : 0) : 1;
              if (slots < 1) break;
              // While another archive loads, only the most urgent go now; the rest wait for the next free slot.
              const top = Math.max(...queues.load.map((step) => urgency.get(step.id) ?? 0));
              const now =
                fill && running.load > 0
                  ? queues.load.filter((step) => (urgency.get(step.id) ?? 0) === top)
                  : queues.load;
              for (const unit of batchLoads(now, slots, urgency)) void execute(unit);
              queues.load = queues.load.filter((step) => !now.includes(step));
              continue;
            }
            void execute([queues[resource].shift()!]);
          }
        }
      }
      const queued = RESOURCES.some((r) => queues[r].length > 0);
      if (active === 0 && (failure !== undefined || !queued)) done();
    };

    function onAbort() {
      const reason: unknown = signal?.reason;
      const detail =
        reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
      stop(
        new CancelledError(`the run was cancelled (${detail}); running steps were aborted and cleanup ran`, {
          cause: reason,
        }),
        new CancelledError(`cancelled: ${detail}`, { cause: reason }),
      );
      pump();
    }

    for (const step of main) if (step.deps.length === 0) queues[step.resource].push(step);
    if (signal?.aborted) onAbort();
    else {
      signal?.addEventListener('abort', onAbort, { once: true });
      pump();
    }
  });
}
