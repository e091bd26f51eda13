import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether a `sleep <seconds>` process is running (a build's `RUN sleep` step, as a fault plants it), read from the
 * process table: a test waits for the state it asserts, never for time.
 */
export function isSleepRunning(seconds: number): boolean {
  return readdirSync('/proc').some((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv[0]?.endsWith('sleep') === true && argv[1] === String(seconds);
    } catch {
      return false; // the process ended while the table was read
    }
  });
}

/** Resolves once `condition()` holds; throws naming `what` when it never does within `limitMs`. */
export async function until(condition: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never saw ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
