import type { EventStream, KubernautError } from '@kubernaut-e2e/core';
import type { StepHandlers } from '../handlers/types.js';
import type { StepKind } from '../plan/types.js';
import type { Trace } from '../trace/types.js';

/** What happens to the cluster when a run ends. */
export type KeepPolicy = 'never' | 'on-failure' | 'always';

/**
 * How loads that are runnable at the same instant are grouped (only for plans that batch loads, i.e.
 * `dag`): `all-runnable` (default) puts them all in ONE archive, one loader call; `fill-free-slots`
 * spreads them over the free load slots, so parallel capacity is used first and only the overflow
 * shares archives.
 */
export type LoadBatching = 'all-runnable' | 'fill-free-slots';

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  readonly attempts: number;
  /** Pause before the 2nd attempt; doubles for each further one. */
  readonly backoffMs: number;
}

/**
 * The slice of core's `RunLedger` the scheduler uses (structural, so any ledger with these members fits).
 * The scheduler records the cluster it creates, so a SIGINT handler that cleans the ledger deletes it
 * too, and releases the entry when the cluster is kept or already deleted.
 */
export interface RunLedgerPort {
  record(entry: { kind: 'cluster'; name: string; dispose: () => Promise<void> }): unknown;
  release(entry: unknown): void;
  cleanup(options?: { readonly keepKinds?: readonly 'cluster'[] }): Promise<unknown>;
}

export interface RunPlanOptions {
  /** Receives `step-started` / `step-finished` and log events. */
  readonly events?: EventStream;
  /**
   * Cleaned (best effort) when the run ends — sparing entries of kind `cluster` when the cluster is kept.
   * The cluster the run creates is recorded in it while the run lasts, so a SIGINT handler cleaning the
   * ledger (core's `installSignalCleanup`) deletes it too.
   */
  readonly ledger?: RunLedgerPort;
  /** Aborting cancels the run (SIGINT): running steps are aborted, finalizers still run. */
  readonly signal?: AbortSignal;
  /** Cluster policy when the run fails, or when `teardownOnSuccess` is set; `on-failure` by default. */
  readonly keep?: KeepPolicy;
  /**
   * Run the teardown steps after a successful run too (benchmarks, one-shot checks). Off by default:
   * a successful setup's cluster is the result the tests use.
   */
  readonly teardownOnSuccess?: boolean;
  /** Concurrency per resource; defaults build 4, load 2, kube 8 (cluster steps are never limited). */
  readonly limits?: { readonly build?: number; readonly load?: number; readonly kube?: number };
  /** Grouping of loads runnable at the same instant; `all-runnable` by default. */
  readonly loadBatching?: LoadBatching;
  /** Retries for transient failures (`KubernautError.transient`) per step kind; none by default. */
  readonly retry?: Partial<Record<StepKind, RetryPolicy>>;
  /** Deadline of each attempt per step kind; a step past it is aborted with a `TimeoutError`. */
  readonly stepTimeoutMs?: Partial<Record<StepKind, number>>;
  /** On failure, the cluster's logs are exported here (before the keep policy applies). */
  readonly logsDir?: string;
  /**
   * How long the finalizers wait for aborted operations to wind down before cleaning up around them
   * (default 30 000 ms on the run's clock).
   */
  readonly abortGraceMs?: number;
  /** Replace step handlers (tests, benchmarks). */
  readonly handlers?: Partial<StepHandlers>;
}

export interface RunOutputs {
  /** Image id → reference built in this run. */
  readonly images: Readonly<Record<string, string>>;
  readonly kubeconfigPath: string;
  readonly clusterName: string;
  /**
   * True when this run created the cluster; false when it existed before (reused, or a refused create),
   * which a later teardown must leave as found.
   */
  readonly clusterOwned: boolean;
}

export interface RunResult {
  /** True when every setup step (and every finalizer that ran) succeeded. */
  readonly ok: boolean;
  readonly trace: Trace;
  readonly outputs: RunOutputs;
  /**
   * Why the run failed: a `StepError` naming the failed step with the original error as `cause`, or a
   * `CancelledError` when the run's signal was aborted. A finalizer's failure never replaces it.
   */
  readonly error?: KubernautError;
  /** Finalizer failures (log export, cluster deletion), reported but never thrown. */
  readonly finalizerErrors: readonly KubernautError[];
  /** True when the run's cluster is still there afterwards (success, or kept by the keep policy). */
  readonly clusterKept: boolean;
  /** What `ledger.cleanup()` returned, when a ledger was given. */
  readonly ledgerCleanup?: unknown;
}
