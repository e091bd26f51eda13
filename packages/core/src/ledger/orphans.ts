import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogSink } from '../ports/log-sink.js';
import type { CleanupReport } from './cleanup-report.js';
import { type PersistedEntry, type PersistedRun, readRunFile, runFilePath } from './ledger-file.js';
import { isProcessAlive, pidIsAlive, processStartTime } from './process-identity.js';
import { type LedgerKind, type LedgerRecord, RunLedger } from './run-ledger.js';
import { resolveStateDir, runsDir } from './state-dir.js';

/** A run ledger on disk whose owner is dead: what it recorded was never cleaned up. */
export interface OrphanedRun {
  readonly run: PersistedRun;
  /** The ledger file. */
  readonly path: string;
}

/** A ledger file that could not be read (reported, never deleted: it may be a newer format). */
export interface UnreadableRun {
  readonly path: string;
  readonly error: Error;
}

export interface FindOrphanedRunsResult {
  readonly orphans: readonly OrphanedRun[];
  /** Runs whose owner still runs (in progress, or kept alive by a test process). */
  readonly active: readonly PersistedRun[];
  readonly unreadable: readonly UnreadableRun[];
}

/**
 * Reads every run ledger under `<stateDir>/runs` and sorts them by whether their owner process still runs
 * (same pid AND same start time, so a reused pid is not mistaken for the owner). Runs recorded on another
 * host are listed as neither. `stateDir` defaults to `resolveStateDir()`.
 */
export function findOrphanedRuns(stateDir: string = resolveStateDir()): FindOrphanedRunsResult {
  const dir = runsDir(stateDir);
  const orphans: OrphanedRun[] = [];
  const active: PersistedRun[] = [];
  const unreadable: UnreadableRun[] = [];
  if (!existsSync(dir)) return { orphans, active, unreadable };
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const path = join(dir, name);
    let run: PersistedRun;
    try {
      run = readRunFile(path);
    } catch (error) {
      // Vanished between readdir and read: its owner just finished cleaning up.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      unreadable.push({ path, error: error as Error });
      continue;
    }
    const alive = isProcessAlive(run.owner);
    if (alive === false) orphans.push({ run, path });
    else if (alive === true) active.push(run);
  }
  return { orphans, active, unreadable };
}

/** Removes one kind of recorded resource in a process other than the one that created it. */
export interface OrphanRemover {
  /** Removes it. Should be idempotent (it may be gone already). */
  remove(entry: PersistedEntry): Promise<void>;
  /** Whether it still exists; when omitted, a removal that did not throw counts as done. */
  exists?(entry: PersistedEntry): Promise<boolean>;
}

export interface CleanupOrphanOptions {
  /**
   * Removers by the `tool` each entry recorded: `{ podman: …, docker: …, kind: … }`. `fs` (temp dirs,
   * files) and `process` (stray processes, matched by pid and start time) are built in.
   */
  readonly removers?: Readonly<Record<string, OrphanRemover>>;
  readonly log?: LogSink;
  /** Spare these kinds (e.g. `['cluster']` when the user keeps clusters). */
  readonly keepKinds?: readonly LedgerKind[];
  /** A removal running longer than this is reported as failed. Default 120 s. */
  readonly disposeTimeoutMs?: number;
}

/**
 * Removes what a dead run recorded, newest first (processes first), checking each thing is gone. Returns
 * the same report as `RunLedger.cleanup()`. The run's file is claimed first (renamed), so two `down`s never
 * clean the same run; it is deleted when nothing is left, else rewritten — owned by this process — with
 * what is left (and the command that removes each), for the next attempt.
 *
 * Returns `undefined` when another process claimed the run first.
 */
export async function cleanupOrphanedRun(
  orphan: OrphanedRun,
  options: CleanupOrphanOptions = {},
): Promise<CleanupReport | undefined> {
  const { run, path } = orphan;
  const claim = `${path}.claim-${process.pid}`;
  try {
    renameSync(path, claim);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const stateDir = dirname(dirname(path));
  const ledger = new RunLedger({
    runId: run.runId,
    persist: { service: run.service, stateDir },
    ...(options.log ? { log: options.log } : {}),
    ...(options.disposeTimeoutMs !== undefined ? { disposeTimeoutMs: options.disposeTimeoutMs } : {}),
  });
  // Oldest first, as they were recorded, so "newest first" keeps its meaning. Each record rewrites the file
  // (now owned by this process) before the claim is dropped: the entries are never only in memory.
  const removers = { fs: fsRemover, process: processRemover, ...options.removers };
  for (const entry of [...run.entries].sort((a, b) => a.id - b.id)) {
    ledger.record(adopted(entry, removers));
  }
  if (run.entries.length === 0 || existsSync(runFilePath(join(stateDir, 'runs'), run.runId))) {
    rmSync(claim, { force: true });
  }
  return ledger.cleanup(options.keepKinds ? { keepKinds: options.keepKinds } : {});
}

function adopted(entry: PersistedEntry, removers: Readonly<Record<string, OrphanRemover>>): LedgerRecord {
  const remover = entry.resource ? removers[entry.resource.tool] : undefined;
  const base = {
    kind: entry.kind,
    name: entry.name,
    ...(entry.removeCommand ? { removeCommand: entry.removeCommand } : {}),
    ...(entry.resource ? { resource: entry.resource } : {}),
  };
  if (!remover) {
    const why = entry.resource
      ? `no remover for ${entry.resource.tool} resources was given`
      : 'the run did not record how to remove it';
    return {
      ...base,
      dispose: async () => {
        throw new Error(why);
      },
    };
  }
  return {
    ...base,
    dispose: () => remover.remove(entry),
    ...(remover.exists ? { exists: () => remover.exists!(entry) } : {}),
  };
}

/** Temp dirs and files. */
export const fsRemover: OrphanRemover = {
  remove: (entry) => rm(entry.name, { recursive: entry.kind === 'temp-dir', force: true }),
  exists: async (entry) => existsSync(entry.name),
};

/**
 * Describes a process for the disk ledger (`resource` of a `process` entry), so a later run can stop it if it
 * outlived its owner — and never a stranger that reuses its pid.
 */
export function processResource(pid: number): { tool: 'process'; details: Record<string, string> } {
  const startTime = processStartTime(pid);
  return { tool: 'process', details: { pid: String(pid), ...(startTime ? { startTime } : {}) } };
}

function recordedProcess(entry: PersistedEntry): { pid: number; alive: () => boolean } | undefined {
  const pid = Number(entry.resource?.details?.pid);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const startTime = entry.resource?.details?.startTime;
  return {
    pid,
    alive: () => {
      if (!pidIsAlive(pid)) return false;
      const now = processStartTime(pid);
      return startTime === undefined || now === undefined || now === startTime;
    },
  };
}

function signalTree(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // the runner starts every command as the leader of its own group
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone meanwhile
    }
  }
}

/** Polls until `alive()` is false; a process needs a moment to act on a signal. */
async function waitForExit(alive: () => boolean, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (alive()) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Stray processes (a `kubectl port-forward` that outlived its killed owner): SIGTERM to the process group the
 * runner started it in, SIGKILL if it is still there 10 s later — only while it is still the recorded process
 * (same pid and start time).
 */
export const processRemover: OrphanRemover = {
  async remove(entry) {
    const recorded = recordedProcess(entry);
    if (!recorded) throw new Error('the run did not record its pid');
    if (!recorded.alive()) return;
    signalTree(recorded.pid, 'SIGTERM');
    if (await waitForExit(recorded.alive, 10_000)) return;
    signalTree(recorded.pid, 'SIGKILL');
    await waitForExit(recorded.alive, 5_000);
  },
  async exists(entry) {
    const recorded = recordedProcess(entry);
    return recorded ? recorded.alive() : true;
  },
};
