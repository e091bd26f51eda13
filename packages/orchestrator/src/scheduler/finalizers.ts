import { type KubernautError, StepError } from '@kubernaut-e2e/core';
import { topologicalOrder } from '../plan/graph.js';
import type { Plan, TeardownStep } from '../plan/types.js';
import type { AttemptRunner } from './attempts.js';
import type { KeepPolicy } from './options.js';
import type { RunCluster } from './run-state.js';
import type { StepBook } from './step-book.js';

export interface FinalizerFacts {
  /** The setup failed or was cancelled. */
  readonly failed: boolean;
  /** Cancelled through the run's signal (SIGINT): the user wants out, so no logs are exported. */
  readonly interrupted?: boolean;
  readonly keep: KeepPolicy;
  readonly teardownOnSuccess: boolean;
  readonly logsDir?: string;
  /** The cluster the run created or found; undefined when it never got that far. */
  readonly cluster?: RunCluster;
}

export type FinalizerDecision = { readonly run: true } | { readonly run: false; readonly reason: string };

/**
 * Whether a teardown step applies to this run's ending. Pure, so the keep policy is easy to read and test:
 * logs are exported only on failure; the cluster is deleted only if this run created it and neither
 * the keep policy nor a successful setup (whose cluster is the result) keeps it.
 */
export function finalizerDecision(step: TeardownStep, facts: FinalizerFacts): FinalizerDecision {
  const skip = (reason: string): FinalizerDecision => ({ run: false, reason });
  if (!facts.cluster) return skip('no cluster was created by this run');
  if (step.payload.action === 'export-logs') {
    if (!facts.failed) return skip('the run succeeded');
    if (facts.interrupted) return skip('the run was interrupted; logs are exported for a failed run only');
    if (!facts.logsDir) return skip('no logsDir was given');
    return { run: true };
  }
  if (!facts.cluster.owned) return skip('the cluster existed before this run; left as found');
  if (!facts.failed && !facts.teardownOnSuccess) return skip('setup succeeded; the cluster is its result');
  if (facts.keep === 'always') return skip('kept (keep: always)');
  if (facts.keep === 'on-failure' && facts.failed) return skip('kept for debugging (keep: on-failure)');
  return { run: true };
}

export interface FinalizerOutcome {
  readonly errors: readonly KubernautError[];
  readonly clusterDeleted: boolean;
  readonly deleteFailed: boolean;
}

/**
 * Runs the plan's teardown steps in dependency order, each only if `finalizerDecision` says it applies
 * (skipped ones carry the reason as their note). Best effort: a failing finalizer is reported and the
 * next one still runs. Uses its own signal, never the (possibly aborted) run's.
 */
export async function runFinalizers(
  plan: Plan,
  facts: FinalizerFacts,
  book: StepBook,
  attempts: AttemptRunner,
): Promise<FinalizerOutcome> {
  const teardown = plan.steps.filter((s): s is TeardownStep => s.kind === 'teardown');
  const byId = new Map(teardown.map((s) => [s.id, s]));
  const signal = new AbortController().signal;
  const errors: KubernautError[] = [];
  let clusterDeleted = false;
  let deleteFailed = false;
  for (const id of topologicalOrder(teardown)) {
    const step = byId.get(id)!;
    const decision = finalizerDecision(step, facts);
    if (!decision.run) {
      book.note(step.id, decision.reason);
      book.finish(step, 'skipped');
      continue;
    }
    book.begin([step]);
    try {
      await attempts.run([step], step.id, signal);
      book.finish(step, 'succeeded');
      if (step.payload.action === 'delete-cluster') clusterDeleted = true;
    } catch (error) {
      book.finish(step, 'failed', error);
      errors.push(new StepError(step.id, error, { attempts: book.attempts(step.id) }));
      if (step.payload.action === 'delete-cluster') deleteFailed = true;
    }
  }
  return { errors, clusterDeleted, deleteFailed };
}
