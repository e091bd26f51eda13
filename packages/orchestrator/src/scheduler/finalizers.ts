import type { TeardownStep } from '../plan/types.js';
import type { KeepPolicy } from './options.js';
import type { RunCluster } from './run-state.js';

export interface FinalizerFacts {
  /** The setup failed or was cancelled. */
  readonly failed: boolean;
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
    if (!facts.logsDir) return skip('no logsDir was given');
    return { run: true };
  }
  if (!facts.cluster.owned) return skip('the cluster existed before this run; left as found');
  if (!facts.failed && !facts.teardownOnSuccess) return skip('setup succeeded; the cluster is its result');
  if (facts.keep === 'always') return skip('kept (keep: always)');
  if (facts.keep === 'on-failure' && facts.failed) return skip('kept for debugging (keep: on-failure)');
  return { run: true };
}
