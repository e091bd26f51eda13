import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { OutputFormatError } from '../errors/simple-errors.js';
import type { ProcessIdentity } from './process-identity.js';

/** The kinds a ledger entry can have; `cleanup({ keepKinds })` can spare whole kinds (e.g. a kept cluster). */
export const LEDGER_KINDS = ['temp-dir', 'file', 'image', 'cluster', 'process', 'other'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * A JSON-safe description of a resource: enough for ANOTHER process to find and remove it after the run that
 * created it was killed. `tool` picks the remover (`fs`, `podman`, `docker`, `kind`, `process`, …); `details`
 * carries what that remover needs besides the name (a kubeconfig path, an engine binary, a label to sweep).
 */
export interface ResourceDescriptor {
  readonly tool: string;
  readonly details?: Readonly<Record<string, string>>;
}

/** One entry as written to disk. */
export interface PersistedEntry {
  readonly id: number;
  readonly kind: LedgerKind;
  readonly name: string;
  readonly resource?: ResourceDescriptor;
  /** The argv that removes it by hand, shown when it is left behind. */
  readonly removeCommand?: readonly string[];
  /** ISO time it was recorded. */
  readonly recordedAt: string;
}

/** A run's ledger file: `<stateDir>/runs/<runId>.json`. */
export interface PersistedRun {
  readonly version: 1;
  readonly runId: string;
  /** What the run was setting up (e.g. the service name), for `status`. */
  readonly service: string;
  readonly owner: ProcessIdentity;
  /** ISO time the run started. */
  readonly startedAt: string;
  readonly entries: readonly PersistedEntry[];
}

const descriptorSchema = z.object({
  tool: z.string().min(1),
  details: z.record(z.string(), z.string()).optional(),
});

export const persistedRunSchema = z.object({
  version: z.literal(1),
  runId: z.string().min(1),
  service: z.string(),
  owner: z.object({
    pid: z.number().int().positive(),
    startTime: z.string().optional(),
    bootId: z.string().optional(),
    hostname: z.string(),
  }),
  startedAt: z.string(),
  entries: z.array(
    z.object({
      id: z.number().int(),
      kind: z.enum(LEDGER_KINDS),
      name: z.string(),
      resource: descriptorSchema.optional(),
      removeCommand: z.array(z.string()).optional(),
      recordedAt: z.string(),
    }),
  ),
});

/** A run id names a file and labels images: keep it to characters safe in both. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function runFilePath(dir: string, runId: string): string {
  return join(dir, `${runId}.json`);
}

/**
 * Writes the run's file atomically: a temp file in the same directory, then `rename` over the old one, so a
 * process killed mid-write leaves the previous complete version, never half a file. Synchronous on purpose:
 * `record()` is called right before the resource is created, and the entry must be on disk by then.
 */
export function writeRunFile(dir: string, run: PersistedRun): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = runFilePath(dir, run.runId);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(run, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

export function removeRunFile(dir: string, runId: string): void {
  rmSync(runFilePath(dir, runId), { force: true });
}

/** Reads and validates one run file; throws with the path and what is wrong. */
export function readRunFile(path: string): PersistedRun {
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new OutputFormatError(`run ledger ${path}`, 'is not valid JSON', undefined, { cause });
  }
  const parsed = persistedRunSchema.safeParse(json);
  if (!parsed.success)
    throw new OutputFormatError(`run ledger ${path}`, `is malformed: ${parsed.error.message}`);
  return parsed.data as PersistedRun;
}
