import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigError } from '../errors/config-error.js';
import type { LogSink } from '../ports/log-sink.js';
import {
  type CleanupFailure,
  type CleanupReport,
  formatRemoveCommand,
  type LeftResource,
} from './cleanup-report.js';
import {
  type LedgerKind,
  type PersistedEntry,
  type PersistedRun,
  type ResourceDescriptor,
  RUN_ID,
  removeRunFile,
  runFilePath,
  writeRunFile,
} from './ledger-file.js';
import { registerOpenLedger, type UnsettledResource, unregisterOpenLedger } from './open-ledgers.js';
import { type ProcessIdentity, processIdentity } from './process-identity.js';
import { ENV_STATE_DIR, resolveStateDir, runsDir } from './state-dir.js';

export type { CleanupReport } from './cleanup-report.js';
export type { LedgerKind, ResourceDescriptor } from './ledger-file.js';

export interface LedgerRecord {
  readonly kind: LedgerKind;
  /** Human-readable identity shown in reports, e.g. the path, image ref or cluster name. */
  readonly name: string;
  /** Removes the resource. Should be idempotent; may throw (the failure is reported, not raised). */
  readonly dispose: () => Promise<void>;
  /**
   * Whether the resource exists now. Cleanup asks before removing (what is already gone — e.g. a cluster the
   * scheduler's finalizer deleted — is not removed twice) and after (a removal only counts once the thing is
   * gone). Without it, a disposal that did not throw counts as removed.
   */
  readonly exists?: () => Promise<boolean>;
  /** The argv that removes it by hand, printed when cleanup leaves it behind: `['kind', 'delete', 'cluster', '--name', n]`. */
  readonly removeCommand?: readonly string[];
  /**
   * How another process removes it after this one was killed (written to the disk ledger). Temp dirs and
   * tracked files get `{ tool: 'fs' }` by themselves.
   */
  readonly resource?: ResourceDescriptor;
}

export interface LedgerEntry extends LedgerRecord {
  /** Unique within the ledger, in creation order. */
  readonly id: number;
}

/** Keep the ledger on disk so that a run killed with SIGKILL can be cleaned up by a later process. */
export interface LedgerPersistence {
  /** What the run sets up (the service name), shown by `status`. */
  readonly service: string;
  /** The tool's state directory; `resolveStateDir(env)` when omitted. The ledger goes to `<stateDir>/runs/<runId>.json`. */
  readonly stateDir?: string;
  /** Where `KUBERNAUT_E2E_STATE_DIR` / `XDG_STATE_HOME` are read; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface RunLedgerOptions {
  /** Receives one `info` line per disposal, kept entry and failure. */
  readonly log?: LogSink;
  /** Where `tempDir()` creates directories; `os.tmpdir()` when omitted. */
  readonly tempRoot?: string;
  /** A disposal (or existence check) running longer than this is reported as failed so cleanup cannot hang. Default 120 s. */
  readonly disposeTimeoutMs?: number;
  /** The run's id (labels the run's images, names its ledger file); a new unique id when omitted. */
  readonly runId?: string;
  /** Write every change to `<stateDir>/runs/<runId>.json`; removed once cleanup leaves nothing behind. */
  readonly persist?: LedgerPersistence;
}

const PREFIX = /^[A-Za-z0-9_.-]{1,64}$/;
const DEFAULT_DISPOSE_TIMEOUT_MS = 120_000;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** `20261127T185257Z-1a2b3c4d`: sortable by start, unique across parallel runs, safe as a file name and a label. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

/** The outcome of removing one entry. */
type Outcome =
  | { readonly removed: true; readonly note?: string }
  | { readonly removed: false; readonly error: Error };

/**
 * Everything a run created — temp dirs, files, images, clusters, processes — so cleanup removes exactly
 * those and nothing else. Entries are disposed newest first (a file inside a temp dir before the dir, a
 * cluster before the kubeconfig directory it was written to), except that processes are stopped before
 * anything else: a running process (a build) may still be creating what the other entries name.
 *
 * Cleanup reports the truth: an entry counts as removed only once it is checked to be gone (when it can be
 * checked), and whatever is left is listed with the command that removes it. With `persist`, the ledger is
 * also kept on disk, so a run killed with SIGKILL is found by `findOrphanedRuns` and cleaned later.
 *
 * Use it so that cleanup never hides the run's own error:
 *
 * ```ts
 * const ledger = new RunLedger({ log, persist: { service: 'gateway' } });
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
  readonly #runId: string;
  readonly #startedAt = new Date().toISOString();
  readonly #recordedAt = new Map<number, string>();
  readonly #dir: string | undefined;
  #owner: ProcessIdentity | undefined;
  #persistFailed = false;
  #nextId = 1;
  #cleanup: Promise<CleanupReport> | undefined;
  /** Disposals of entries recorded after cleanup began; cleanup waits for them too. */
  readonly #late: Promise<void>[] = [];
  /** Entries being removed right now (cleanup's current one, late records). */
  readonly #removing = new Set<LedgerEntry>();

  constructor(options: RunLedgerOptions = {}) {
    this.#options = options;
    if (options.runId !== undefined && !RUN_ID.test(options.runId)) {
      throw ConfigError.field(
        'runId',
        `${JSON.stringify(options.runId)} cannot name a run: use 1–128 characters of A-Z, a-z, 0-9, \`_\`, \`.\` and \`-\`, starting with a letter or digit`,
        'run ledger options',
      );
    }
    this.#runId = options.runId ?? newRunId();
    if (options.persist) this.#dir = prepareRunsDir(options.persist);
  }

  /** This run's id: it names the ledger file and labels the images the run builds. */
  get runId(): string {
    return this.#runId;
  }

  /** The ledger file (`<stateDir>/runs/<runId>.json`) when persisted, else undefined. */
  get filePath(): string | undefined {
    return this.#dir === undefined ? undefined : runFilePath(this.#dir, this.#runId);
  }

  /** Live entries, oldest first. */
  get entries(): readonly LedgerEntry[] {
    return [...this.#entries];
  }

  /**
   * What is not verifiably removed yet: the live entries and those being removed right now. A process that exits
   * before cleanup ends reports these (`unsettledResources()` gathers them from every open ledger).
   */
  get unsettled(): readonly UnsettledResource[] {
    return [...this.#removing, ...this.#entries].map((e) => ({
      runId: this.#runId,
      kind: e.kind,
      name: e.name,
      ...(e.removeCommand ? { removeCommand: e.removeCommand } : {}),
    }));
  }

  /** True once `cleanup()` was called; later records are disposed immediately. */
  get closed(): boolean {
    return this.#cleanup !== undefined;
  }

  /**
   * Records a resource the run created — call it BEFORE creating the resource when it can be created
   * half-way (a build, a cluster), so an interruption still finds it. After `cleanup()` has begun (e.g. a
   * step finishing while SIGINT is being handled), the resource is disposed right away instead, so nothing
   * created late is left.
   */
  record(record: LedgerRecord): LedgerEntry {
    const entry: LedgerEntry = {
      kind: record.kind,
      name: record.name,
      dispose: record.dispose,
      ...(record.exists ? { exists: record.exists } : {}),
      ...(record.removeCommand ? { removeCommand: [...record.removeCommand] } : {}),
      ...(record.resource ? { resource: record.resource } : {}),
      id: this.#nextId++,
    };
    if (this.#cleanup) {
      this.#late.push(
        this.#removeOne(entry).then((outcome) => {
          if (!outcome.removed) this.#info(this.#failureLine(entry, outcome.error));
        }),
      );
      return entry;
    }
    this.#entries.push(entry);
    this.#recordedAt.set(entry.id, new Date().toISOString());
    this.#persist();
    registerOpenLedger(this);
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
    this.record(tempDirRecord(dir));
    return dir;
  }

  /** Records a file the run wrote (e.g. an image archive) so cleanup deletes it. */
  trackFile(path: string): LedgerEntry {
    return this.record(fsRecord('file', path));
  }

  /** Forgets an entry without disposing it (e.g. a cluster the user asked to keep). */
  release(entry: LedgerEntry): void {
    const index = this.#entries.findIndex((e) => e.id === entry.id);
    if (index < 0) return;
    this.#entries.splice(index, 1);
    this.#recordedAt.delete(entry.id);
    this.#persist();
  }

  /**
   * Forgets every entry for this resource without disposing it, because it was removed by other means —
   * e.g. the scheduler's finalizer deleted the cluster that the kind adapter had recorded — so cleanup does
   * not remove it a second time. Returns how many entries were forgotten.
   */
  forget(kind: LedgerKind, name: string): number {
    const matching = this.#entries.filter((e) => e.kind === kind && e.name === name);
    for (const entry of matching) this.release(entry);
    return matching.length;
  }

  /**
   * Disposes one entry now (e.g. an archive right after it was loaded), checks it is gone, and forgets it.
   * Rethrows a failure, leaving the entry recorded so `cleanup()` tries again and reports it.
   */
  async dispose(entry: LedgerEntry): Promise<void> {
    if (!this.#entries.some((e) => e.id === entry.id)) return;
    const outcome = await this.#removeOne(entry);
    if (!outcome.removed) throw outcome.error;
    this.release(entry);
  }

  /**
   * Removes every entry — processes first, then newest first — except the kinds in `keepKinds`, checking
   * each is gone. Several entries for the same resource (same kind and name) are removed once. Best effort:
   * a failure is reported with the command that removes the resource by hand, and the rest still run.
   * Never throws. Idempotent: later calls return the first call's report without doing anything.
   *
   * A persisted ledger's file is deleted when nothing was left behind; otherwise it is rewritten to hold
   * only what is left, so `status` and `down` find it once this process has exited.
   */
  cleanup(options: { readonly keepKinds?: readonly LedgerKind[] } = {}): Promise<CleanupReport> {
    this.#cleanup ??= this.#runCleanup(new Set(options.keepKinds ?? [])).finally(() =>
      unregisterOpenLedger(this),
    );
    return this.#cleanup;
  }

  async #runCleanup(keepKinds: ReadonlySet<LedgerKind>): Promise<CleanupReport> {
    const disposed: string[] = [];
    const failed: CleanupFailure[] = [];
    const left: LeftResource[] = [];
    const kept: { name: string; kind: LedgerKind }[] = [];
    const leftEntries: LedgerEntry[] = [];
    const keyOf = (e: LedgerEntry) => `${e.kind}\u0000${e.name}`;
    // The same resource may be recorded twice (by an adapter and by the scheduler): it is removed once. When
    // one entry fails, another for the same resource is tried (it may know how: e.g. a persisted entry that
    // recorded no `resource` next to one that did); it is reported failed only when none succeeded.
    const settled = new Set<string>();
    const started = performance.now();
    while (this.#entries.length > 0) {
      const entry = this.#next();
      const key = keyOf(entry);
      if (settled.has(key)) continue;
      if (keepKinds.has(entry.kind)) {
        settled.add(key);
        kept.push({ name: entry.name, kind: entry.kind });
        this.#info(`keeping ${entry.kind} ${entry.name}`);
        continue;
      }
      const outcome = await this.#removeOne(entry);
      if (outcome.removed) {
        settled.add(key);
        disposed.push(entry.name);
        this.#info(`removed ${entry.kind} ${entry.name}${outcome.note ? ` (${outcome.note})` : ''}`);
        continue;
      }
      if (this.#entries.some((e) => keyOf(e) === key)) continue; // another entry for it gets its turn
      settled.add(key);
      const removeCommand = entry.removeCommand;
      failed.push({
        name: entry.name,
        kind: entry.kind,
        error: outcome.error,
        ...(removeCommand ? { removeCommand } : {}),
      });
      left.push({
        kind: entry.kind,
        name: entry.name,
        reason: outcome.error.message,
        ...(removeCommand ? { removeCommand } : {}),
      });
      leftEntries.push(entry);
      this.#info(this.#failureLine(entry, outcome.error));
    }
    await Promise.all(this.#late);
    if (disposed.length + failed.length > 0) {
      this.#info(
        `cleanup removed ${disposed.length}, failed ${failed.length}, kept ${kept.length} in ${Math.round(performance.now() - started)} ms`,
      );
    }
    this.#settleFile(leftEntries);
    return { disposed, failed, kept, left };
  }

  /** The next entry to remove: the newest process if any (it may still be creating things), else the newest. */
  #next(): LedgerEntry {
    let index = this.#entries.length - 1;
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      if (this.#entries[i]!.kind === 'process') {
        index = i;
        break;
      }
    }
    const [entry] = this.#entries.splice(index, 1);
    return entry!;
  }

  #failureLine(entry: LedgerEntry, error: Error): string {
    const how = entry.removeCommand ? `; remove it with: ${formatRemoveCommand(entry.removeCommand)}` : '';
    return `could not remove ${entry.kind} ${entry.name}: ${error.message}${how}`;
  }

  /**
   * Removes one entry and checks the result: already gone → nothing to do; removal threw → failed unless
   * it is verifiably gone anyway; removal "succeeded" → failed if it still exists.
   */
  async #removeOne(entry: LedgerEntry): Promise<Outcome> {
    this.#removing.add(entry);
    try {
      return await this.#removeChecked(entry);
    } finally {
      this.#removing.delete(entry);
    }
  }

  async #removeChecked(entry: LedgerEntry): Promise<Outcome> {
    if (entry.exists) {
      const before = await this.#withDeadline(entry.exists);
      if (before === false) return { removed: true, note: 'already gone' };
    }
    const failure = await this.#withDeadline(async () => {
      await entry.dispose();
      return undefined;
    });
    const disposeError = failure instanceof Error ? failure : undefined;
    if (!entry.exists) return disposeError ? { removed: false, error: disposeError } : { removed: true };
    const after = await this.#withDeadline(entry.exists);
    if (after === false) {
      return disposeError
        ? { removed: true, note: `gone, although its removal reported: ${disposeError.message}` }
        : { removed: true };
    }
    if (disposeError) return { removed: false, error: disposeError };
    if (after === true) return { removed: false, error: new Error('still exists after its removal') };
    return { removed: false, error: new Error(`could not check that it is gone: ${after.message}`) };
  }

  /** Runs `work` with the disposal deadline; resolves with its value or the failure, never rejects. */
  async #withDeadline<T>(work: () => Promise<T>): Promise<T | Error> {
    const limit = this.#options.disposeTimeoutMs ?? DEFAULT_DISPOSE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(new Error(`did not finish within ${limit} ms`)), limit);
    });
    try {
      return await Promise.race([
        Promise.resolve()
          .then(work)
          .catch((error: unknown) => asError(error)),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  #snapshot(entries: readonly LedgerEntry[]): PersistedRun {
    this.#owner ??= processIdentity();
    return {
      version: 1,
      runId: this.#runId,
      service: this.#options.persist?.service ?? '',
      owner: this.#owner,
      startedAt: this.#startedAt,
      entries: entries.map(
        (e): PersistedEntry => ({
          id: e.id,
          kind: e.kind,
          name: e.name,
          ...(e.resource ? { resource: e.resource } : {}),
          ...(e.removeCommand ? { removeCommand: [...e.removeCommand] } : {}),
          recordedAt: this.#recordedAt.get(e.id) ?? new Date().toISOString(),
        }),
      ),
    };
  }

  /** Writes the live entries to disk (persisted ledgers only). A write failure is logged once, never thrown. */
  #persist(): void {
    if (this.#dir === undefined || this.#cleanup) return;
    this.#write(this.#entries);
  }

  #write(entries: readonly LedgerEntry[]): void {
    if (this.#dir === undefined) return;
    try {
      if (entries.length === 0) removeRunFile(this.#dir, this.#runId);
      else writeRunFile(this.#dir, this.#snapshot(entries));
    } catch (error) {
      if (this.#persistFailed) return;
      this.#persistFailed = true;
      this.#info(
        `could not write the run ledger ${runFilePath(this.#dir, this.#runId)}: ${asError(error).message}; a crash of this run would leave what it created unrecorded`,
      );
    }
  }

  /** After cleanup: delete the file, or keep only what was left so a later `down` can retry it. */
  #settleFile(leftEntries: readonly LedgerEntry[]): void {
    this.#write(leftEntries);
  }

  #info(text: string): void {
    try {
      this.#options.log?.({ source: 'cleanup', stream: 'info', text, at: performance.now() });
    } catch {
      // Logging must never stop cleanup.
    }
  }
}

/**
 * The record of a temp directory something else created (`mkdtemp`) for {@link RunLedger.record}: removed with
 * `rm -rf`, checked with the file system, and removed by a later `down` if the run dies.
 */
export function tempDirRecord(path: string): LedgerRecord {
  return fsRecord('temp-dir', path);
}

/** Record of a temp dir or file: removed with `rm`, checked with the file system, known to other processes. */
function fsRecord(kind: 'temp-dir' | 'file', path: string): LedgerRecord {
  return {
    kind,
    name: path,
    dispose: () => rm(path, { recursive: kind === 'temp-dir', force: true }),
    exists: async () => existsSync(path),
    removeCommand: kind === 'temp-dir' ? ['rm', '-rf', '--', path] : ['rm', '-f', '--', path],
    resource: { tool: 'fs' },
  };
}

/** Creates `<stateDir>/runs` (0700) and checks it is writable, naming the variable to change when not. */
function prepareRunsDir(persist: LedgerPersistence): string {
  const stateDir = persist.stateDir ?? resolveStateDir(persist.env);
  const dir = runsDir(stateDir);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw ConfigError.field(
      persist.stateDir === undefined ? ENV_STATE_DIR : 'persist.stateDir',
      `cannot keep the run ledger in ${dir}: ${asError(error).message}; point ${ENV_STATE_DIR} (or the stateDir option) at a writable directory`,
      persist.stateDir === undefined ? 'environment' : 'run ledger options',
    );
  }
  return dir;
}
