import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who owns a run: enough to tell, later and from another process, whether that very process still runs.
 * A pid alone is not: pids are reused, so a dead run's pid may belong to an unrelated process by the time
 * `status` looks. The start time (Linux: clock ticks since boot, field 22 of `/proc/<pid>/stat`) and the
 * boot id tell the owner from a stranger with the same pid.
 */
export interface ProcessIdentity {
  readonly pid: number;
  /** `/proc/<pid>/stat` start time; absent where there is no `/proc` (then only the pid is compared). */
  readonly startTime?: string;
  /** `/proc/sys/kernel/random/boot_id`: a pid of an earlier boot is never the owner. */
  readonly bootId?: string;
  readonly hostname: string;
}

/** The start time of `pid` as the kernel reports it, or undefined when unknown (no `/proc`, no such process). */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state is field 3, so start time (field 22) is at index 22 - 3 = 19.
    return fields[19];
  } catch {
    return undefined;
  }
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The identity of `pid` now (this process by default). */
export function processIdentity(pid = process.pid): ProcessIdentity {
  const startTime = processStartTime(pid);
  const boot = bootId();
  return {
    pid,
    ...(startTime ? { startTime } : {}),
    ...(boot ? { bootId: boot } : {}),
    hostname: hostname(),
  };
}

/** True while `pid` exists and is not a zombie (a zombie runs nothing and owns nothing any more). */
export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state !== 'Z' && state !== 'X';
  } catch {
    // No /proc (not Linux) or it vanished between the two checks.
    return process.platform !== 'linux';
  }
}

/**
 * Whether the process `owner` describes still runs. `undefined` when this machine cannot tell: the run was
 * recorded on another host (a state directory on a shared home), so it must be neither reported dead nor
 * cleaned up from here.
 */
export function isProcessAlive(owner: ProcessIdentity): boolean | undefined {
  if (owner.hostname !== hostname()) return undefined;
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return false;
  if (!pidIsAlive(owner.pid)) return false;
  if (owner.startTime === undefined) return true;
  const now = processStartTime(owner.pid);
  return now === undefined ? true : now === owner.startTime;
}
