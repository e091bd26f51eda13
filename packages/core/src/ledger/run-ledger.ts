import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigError } from '../errors/config-error.js';
import type { LogSink } from '../ports/log-sink.js';

/** What a ledger entry stands for; `cleanup({ keepKinds })` can spare whole kinds (e.g. a kept cluster). */
export type LedgerKind = 'temp-dir' | 'file' | 'image' | 'cluster' | 'process' | 'other';

export interface LedgerRecord {
  readonly kind: LedgerKind;
  /** Human-readable identity shown in reports, e.g. the path, image ref or cluster name. */
  readonly name: string;
  /** Removes the resource. Should be idempotent; may throw (the failure is reported, not raised). */
  readonly dispose: () => Promise<void>;
}

export interface LedgerEntry extends LedgerRecord {
  /** Unique within the ledger, in creation order. */
  readonly id: number;
}

export interface CleanupFailure {
  readonly name: string;
  readonly kind: LedgerKind;
  readonly error: Error;
}

export interface CleanupReport {
  /** Names disposed, in disposal order (newest first). */
  readonly disposed: readonly string[];
  /** Entries whose disposal threw or timed out; cleanup carried on with the rest. */
  readonly failed: readonly CleanupFailure[];
  /** Entries spared by `keepKinds` (still exist, deliberately). */
  readonly kept: readonly { readonly name: string; readonly kind: LedgerKind }[];
}

export interface RunLedgerOptions {
  /** Receives one `info` line per disposal, kept entry and failure. */
  readonly log?: LogSink;
  /** Where `tempDir()` creates directories; `os.tmpdir()` when omitted. */
  readonly tempRoot?: string;
  /** A disposal running longer than this is reported as failed so cleanup cannot hang. Default 120 s. */
  readonly disposeTimeoutMs?: number;
}

const PREFIX = /^[A-Za-z0-9_.-]{1,64}$/;
const DEFAULT_DISPOSE_TIMEOUT_MS = 120_000;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Everything a run created — temp dirs, files, images, clusters, processes — so cleanup removes exactly
 * those and nothing else. Entries are disposed newest first (a file inside a temp dir before the dir, a
 * cluster before the kubeconfig directory it was written to).
 *
 * Use it so that cleanup never hides the run's own error:
 *
 * ```ts
 * const ledger = new RunLedger({ log });
 * const uninstall = installSignalCleanup(ledger);
 * try {
 *   await setUp(ledger);   // records what it creates
 * } finally {
 *   const report = await ledger.cleanup({ keepKinds: keep ? ['cluster'] : [] }); // never throws
 *   uninstall();
 * }
 * ```
 */
export class RunLedger {
  readonly #entries: LedgerEntry[] = [];
  readonly #options: RunLedgerOptions;
  #nextId = 1;
  #cleanup: Promise<CleanupReport> | undefined;
  /** Disposals of entries recorded after cleanup began; cleanup waits for them too. */
  readonly #late: Promise<void>[] = [];

  constructor(options: RunLedgerOptions = {}) {
    this.#options = options;
  }

  /** Live entries, oldest first. */
  get entries(): readonly LedgerEntry[] {
    return [...this.#entries];
  }

  /** True once `cleanup()` was called; later records are disposed immediately. */
  get closed(): boolean {
    return this.#cleanup !== undefined;
  }

  /**
   * Records a resource the run created. After `cleanup()` has begun (e.g. a step finishing while SIGINT
   * is being handled), the resource is disposed right away instead, so nothing created late is left.
   */
  record(record: LedgerRecord): LedgerEntry {
    const entry: LedgerEntry = {
      kind: record.kind,
      name: record.name,
      dispose: record.dispose,
      id: this.#nextId++,
    };
    if (this.#cleanup) {
      this.#late.push(
        this.#disposeOne(entry).then((failure) => {
          if (failure) this.#info(`could not remove ${entry.kind} ${entry.name}: ${failure.message}`);
        }),
      );
      return entry;
    }
    this.#entries.push(entry);
    return entry;
  }

  /**
   * Creates a private temp directory `<tmp>/kubernaut-e2e-<prefix>-XXXXXX` (mode 0700, never a fixed
   * path, so parallel runs cannot collide or read each other's files) and records it.
   */
  async tempDir(prefix: string): Promise<string> {
    if (!PREFIX.test(prefix)) {
      throw ConfigError.field(
        'prefix',
        `${JSON.stringify(prefix)} cannot name a temp directory: use 1–64 characters of A-Z, a-z, 0-9, \`_\`, \`.\` and \`-\``,
      );
    }
    const dir = await mkdtemp(join(this.#options.tempRoot ?? tmpdir(), `kubernaut-e2e-${prefix}-`));
    try {
      // mkdtemp already uses 0700 on Linux, but the umask and other platforms make that an assumption.
      await chmod(dir, 0o700);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    this.record({ kind: 'temp-dir', name: dir, dispose: () => rm(dir, { recursive: true, force: true }) });
    return dir;
  }

  /** Records a file the run wrote (e.g. an image archive) so cleanup deletes it. */
  trackFile(path: string): LedgerEntry {
    return this.record({ kind: 'file', name: path, dispose: () => rm(path, { force: true }) });
  }

  /** Forgets an entry without disposing it (e.g. a cluster the user asked to keep). */
  release(entry: LedgerEntry): void {
    const index = this.#entries.findIndex((e) => e.id === entry.id);
    if (index >= 0) this.#entries.splice(index, 1);
  }

  /**
   * Disposes one entry now (e.g. an archive right after it was loaded) and forgets it. Rethrows a
   * failure, leaving the entry recorded so `cleanup()` tries again and reports it.
   */
  async dispose(entry: LedgerEntry): Promise<void> {
    if (!this.#entries.some((e) => e.id === entry.id)) return;
    const failure = await this.#disposeOne(entry);
    if (failure) throw failure;
    this.release(entry);
  }

  /**
   * Disposes every entry, newest first, except the kinds in `keepKinds`. Best effort: a failing
   * disposal is reported and the rest still run. Never throws. Idempotent: later calls return the first
   * call's report without doing anything.
   */
  cleanup(options: { readonly keepKinds?: readonly LedgerKind[] } = {}): Promise<CleanupReport> {
    this.#cleanup ??= this.#runCleanup(new Set(options.keepKinds ?? []));
    return this.#cleanup;
  }

  async #runCleanup(keepKinds: ReadonlySet<LedgerKind>): Promise<CleanupReport> {
    const disposed: string[] = [];
    const failed: CleanupFailure[] = [];
    const kept: { name: string; kind: LedgerKind }[] = [];
    const started = performance.now();
    while (this.#entries.length > 0) {
      const entry = this.#entries.pop()!;
      if (keepKinds.has(entry.kind)) {
        kept.push({ name: entry.name, kind: entry.kind });
        this.#info(`keeping ${entry.kind} ${entry.name}`);
        continue;
      }
      const failure = await this.#disposeOne(entry);
      if (failure) {
        failed.push({ name: entry.name, kind: entry.kind, error: failure });
        this.#info(`could not remove ${entry.kind} ${entry.name}: ${failure.message}`);
      } else {
        disposed.push(entry.name);
        this.#info(`removed ${entry.kind} ${entry.name}`);
      }
    }
    await Promise.all(this.#late);
    if (disposed.length + failed.length > 0) {
      this.#info(
        `cleanup removed ${disposed.length}, failed ${failed.length}, kept ${kept.length} in ${Math.round(performance.now() - started)} ms`,
      );
    }
    return { disposed, failed, kept };
  }

  /** Runs one disposal with a deadline; resolves with the failure instead of throwing. */
  async #disposeOne(entry: LedgerEntry): Promise<Error | undefined> {
    const limit = this.#options.disposeTimeoutMs ?? DEFAULT_DISPOSE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(new Error(`disposal did not finish within ${limit} ms`)), limit);
    });
    try {
      return await Promise.race([
        Promise.resolve()
          .then(() => entry.dispose())
          .then(
            () => undefined,
            (error: unknown) => asError(error),
          ),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  #info(text: string): void {
    try {
      this.#options.log?.({ source: 'cleanup', stream: 'info', text, at: performance.now() });
    } catch {
      // Logging must never stop cleanup.
    }
  }
}
