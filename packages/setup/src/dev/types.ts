import type { InfrastructureHandle } from '../handle.js';
import type { SetupOptions } from '../options.js';

/** Edits closer together than this (clock milliseconds) start one cycle. */
export const DEFAULT_DEBOUNCE_MS = 300;

/** What a file watcher is asked to watch, and where it reports. */
export interface FileWatchRequest {
  /** Absolute directories (build contexts) and files (Dockerfiles outside them) to watch. */
  readonly roots: readonly string[];
  /**
   * True for a path no image's build reads (excluded by `.dockerignore`, or outside every COPY source): the
   * watcher need not report it or, for a directory, descend into it. `isDirectory` is undefined when unknown.
   */
  readonly ignored: (path: string, isDirectory: boolean | undefined) => boolean;
  /** An absolute path that was added, changed or removed. */
  readonly onChange: (path: string) => void;
  /** The watcher broke (e.g. the OS ran out of watches): the dev loop stops. */
  readonly onError: (error: unknown) => void;
}

export interface FileWatcher {
  close(): Promise<void>;
}

/** Starts watching; resolves once the watcher has scanned its roots and reports every later change. */
export type WatchFiles = (request: FileWatchRequest) => Promise<FileWatcher>;

/** The parts of a cycle, in order. */
export type DevPhase = 'hash' | 'build' | 'load' | 'roll';

/** How one cycle went: edit → rebuilt → loaded → rolled → ready (or where it failed). */
export interface DevCycleReport {
  /** 1 for the first cycle of the loop. */
  readonly cycle: number;
  /** Image ids rebuilt in this cycle (their content hash changed). */
  readonly images: readonly string[];
  /** Files whose changes started the cycle, relative to the project root (at most 20). */
  readonly changedPaths: readonly string[];
  readonly outcome: 'ready' | 'failed' | 'cancelled';
  /** The new reference of each rebuilt image. */
  readonly refs: Readonly<Record<string, string>>;
  /** The rollouts waited for, e.g. `deployment/gateway`. */
  readonly rolled: readonly string[];
  /** Clock time of the first edit this cycle covers (the moment setup finished, for edits made during it). */
  readonly firstEditAt: number;
  readonly finishedAt: number;
  /** From the first edit to every rolled deployment ready; only when `outcome` is `ready`. */
  readonly editToReadyMs?: number;
  /** Time in each phase; `wait` is the debounce plus any wait for an earlier cycle on the same image. */
  readonly phasesMs: Readonly<Partial<Record<DevPhase | 'wait', number>>>;
  /** What failed (`code` as the errors carry it; the cycle's step, e.g. `dev:build:gateway`). */
  readonly error?: { readonly code?: string; readonly message: string; readonly phase: DevPhase };
}

/** What a watched image reads, as the loop first saw it. */
export interface WatchedImageInfo {
  readonly id: string;
  /** Relative to the project root. */
  readonly dockerfile: string;
  readonly context: string;
  /** COPY/ADD sources within the context; `undefined` when the build reads the whole context. */
  readonly sources: readonly string[] | undefined;
}

export type DevLoopEvent =
  /** Setup is done and edits now start cycles. */
  | { readonly type: 'watching'; readonly images: readonly WatchedImageInfo[] }
  | {
      readonly type: 'cycle-started';
      readonly cycle: number;
      readonly images: readonly string[];
      readonly changedPaths: readonly string[];
      readonly at: number;
    }
  | { readonly type: 'cycle-finished'; readonly report: DevCycleReport }
  /** Files were saved, but no image's content hash changed (e.g. an edit undone): nothing to do. */
  | { readonly type: 'unchanged'; readonly changedPaths: readonly string[]; readonly at: number };

export interface DevLoopOptions extends SetupOptions {
  /**
   * Edits closer together than this are one burst and start one cycle, once no edit came for this long (an
   * editor's save-all, a `git checkout`). Clock milliseconds; 300 by default.
   */
  readonly debounceMs?: number;
  /** The file watcher; chokidar over the build contexts by default. Tests inject their own changes here. */
  readonly watch?: WatchFiles;
  /** Receives the loop's events, including each cycle's report. */
  readonly onEvent?: (event: DevLoopEvent) => void;
}

export interface DevLoopResult {
  /** Cycles that ran (ready, failed or cancelled). */
  readonly cycles: readonly DevCycleReport[];
  /** Whether the cluster still exists after the keep policy was applied. */
  readonly clusterKept: boolean;
}

/** A running dev loop. `await using loop = await startDevLoop(...)` stops it at scope exit. */
export interface DevLoop extends AsyncDisposable {
  /** The infrastructure the loop set up (or reused); its cluster is the one the loop rolls. */
  readonly infrastructure: InfrastructureHandle;
  /** Image id → the reference the cluster runs now (the setup's, then each rebuild's). */
  readonly images: Readonly<Record<string, string>>;
  /** Every cycle so far. */
  readonly cycles: readonly DevCycleReport[];
  /** Resolves once no edit is waiting, no cycle is running and none is queued. */
  idle(): Promise<void>;
  /**
   * Stops watching, cancels a running cycle, and applies the keep policy: `never` deletes the cluster (unless it
   * existed before the loop), `on-failure` and `always` keep it. Idempotent; resolves like `done`.
   */
  stop(): Promise<DevLoopResult>;
  /** Settles when the loop has stopped (by `stop()`, the signal, or a watcher failure, which rejects). */
  readonly done: Promise<DevLoopResult>;
}
