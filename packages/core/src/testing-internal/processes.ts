import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** True while `pid` is a live (not zombie) process. Zombies count as dead: they run nothing. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * Waits until `pid` is gone, polling; returns whether it died within `limitMs`. Killing is asynchronous,
 * so a check right after the command settled could race the kernel delivering SIGKILL. The limit is only a
 * backstop for a process that never dies (a real failure): a loaded machine must never fail this wait, so
 * it is generous, and the wait ends the moment the process is gone.
 */
export async function waitUntilDead(pid: number, limitMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(25);
  }
  return !isAlive(pid);
}

/** Kills a leftover test process so a failing assertion does not leak it. */
export function killQuietly(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Deadline for tests that start node or vitest child processes: generous because the whole workspace's
 * suites share a small machine, and these tests assert outcomes, never durations.
 */
export const CHILD_PROCESS_TIMEOUT_MS = 120_000;
