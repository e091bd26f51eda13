import type { EventStream, KubernautError } from '@kubernaut-e2e/core';
import type { StepHandlers } from '../handlers/types.js';
import type { StepKind } from '../plan/types.js';
import type { Trace } from '../trace/types.js';

/** How rollout waits watch their pods (see `RunPlanOptions.podWatch`). */
export interface PodWatchOptions {
  /** A crash-looping container is given up on once it restarted this many times (default 2). */
  readonly failAfterRestarts?: number;
  /** Between two reads of pod status, on the run's clock (default 2 000 ms). */
  readonly pollMs?: number;
  /** `false`: rollout waits wait for their deadline whatever the pods do (the behaviour before fail-fast). */
  readonly enabled?: boolean;
}

/** What happens to the cluster when a run ends. */
export type KeepPolicy = 'never' | 'on-failure' | 'always';

/**
 * How loads that are runnable at the same instant are grouped (only for plans that batch loads, i.e.
 * `dag`): `fill-free-slots` (default) spreads them over the free load slots, most urgent first
 * (longest chain of dependents), keeping a slot for a more urgent load still building, so parallel
 * capacity is used first and only the overflow shares archives; `all-runnable` puts them all in ONE
 * archive, one loader call.
 */
export type LoadBatching = 'all-runnable' | 'fill-free-slots';

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  readonly attempts: number;
  /** Pause before the 2nd attempt; doubles for each further one. */
  readonly backoffMs: number;
}

/** What the scheduler records for the cluster it creates (a subset of core's `LedgerRecord`). */
export interface ClusterLedgerRecord {
  readonly kind: 'cluster';
  readonly name: string;
  readonly dispose: () => Promise<void>;
  /** Lets the ledger skip a cluster that is already gone and check one it deleted is. */
  readonly exists?: () => Promise<boolean>;
  /** `kind delete cluster --name <name>` for a kind cluster, printed if cleanup leaves it. */
  readonly removeCommand?: readonly string[];
  /** For a persisted ledger: how a later process deletes it (`{ tool: 'kind', details: { kubeconfig } }`). */
  readonly resource?: { readonly tool: string; readonly details?: Readonly<Record<string, string>> };
}

/**
 * The slice of core's `RunLedger` the scheduler uses (structural, so any ledger with these members fits).
 * The scheduler records the cluster it creates, so a SIGINT handler that cleans the ledger deletes it
 * too, and releases the entry when the cluster is kept. When its finalizer deleted the cluster, it
 * `forget`s every entry for it — its own and any an adapter recorded — so the ledger never runs a second
 * `kind delete`: the finalizer owns deleting the cluster of a run that ends normally, the ledger only that
 * of an interrupted one.
 */
export interface RunLedgerPort {
  record(entry: ClusterLedgerRecord): unknown;
  release(entry: unknown): void;
  /** Forgets every entry for a resource removed by other means (core's `RunLedger.forget`). */
  forget?(kind: 'cluster', name: string): unknown;
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
  /**
   * Whether the scheduler cleans the ledger when the run ends (default true). Pass false when the caller
   * cleans it with its own keep rules (a setup keeps built images as the build cache): the scheduler then
   * only records the cluster and settles its entries (forgets them once its finalizer deleted it).
   */
  readonly cleanupLedger?: boolean;
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
  /**
   * Grouping of loads runnable at the same instant (dag): `fill-free-slots` (default) spreads them over the free load
   * slots, the image heading the longest chain of waiting steps alone in the first archive, and keeps a slot free
   * for an as urgent image still building; `all-runnable` puts them all in one archive.
   */
  readonly loadBatching?: LoadBatching;
  /** Retries for transient failures (`KubernautError.transient`) per step kind; none by default. */
  readonly retry?: Partial<Record<StepKind, RetryPolicy>>;
  /** Deadline of each attempt per step kind; a step past it is aborted with a `TimeoutError`. */
  readonly stepTimeoutMs?: Partial<Record<StepKind, number>>;
  /** On failure, the cluster's logs are exported here (before the keep policy applies); not when interrupted. */
  readonly logsDir?: string;
  /**
   * Called once when the run failed (or was cancelled), after its steps stopped and before the finalizers, so the
   * cluster is still there to be looked at (diagnostics). Its own errors are swallowed: they must not hide the
   * failure or stop the cleanup.
   */
  readonly onFailure?: (failure: RunFailure) => Promise<void>;
  /**
   * How long the finalizers wait for aborted operations to wind down before cleaning up around them
   * (default 30 000 ms on the run's clock).
   */
  readonly abortGraceMs?: number;
  /**
   * How the rollout waits watch the pods: a wait fails the moment a pod is in a state it cannot leave on its own (an
   * image never pulled, a missing config key, a crash loop past `failAfterRestarts` restarts) instead of at its
   * deadline. A component's own `failAfterRestarts` wins over the one given here.
   */
  readonly podWatch?: PodWatchOptions;
  /** Replace step handlers (tests, benchmarks). */
  readonly handlers?: Partial<StepHandlers>;
}

/** What a run's `onFailure` hook gets. */
export interface RunFailure {
  readonly error: KubernautError;
  /**
   * The run was cancelled through its signal (SIGINT): the user wants out, so a hook should not start collecting
   * diagnostics now.
   */
  readonly interrupted: boolean;
  /** The steps up to the failure (teardown not yet run). */
  readonly trace: Trace;
  /** The cluster the run created or reused; absent when it never got that far. */
  readonly cluster?: { readonly name: string; readonly kubeconfigPath: string };
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
  /**
   * True when the run keeps its cluster on purpose: the setup succeeded, the keep policy spared it, or it
   * existed before the run. False when it was deleted — or when its deletion failed: then the ledger's
   * cleanup (the scheduler's, or the caller's with `cleanupLedger: false`) tries once more and reports it,
   * with the command that removes it, if it is still there.
   */
  readonly clusterKept: boolean;
  /** What `ledger.cleanup()` returned, when a ledger was given. */
  readonly ledgerCleanup?: unknown;
}
