import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** How a Node.js script run as a child process ended, with everything it printed. */
export interface ScriptExit {
  /** null when a signal ended it. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to close. */
  readonly seconds: number;
  /** `performance.now()` when the process exited (its output may close later), to time a signal's effect. */
  readonly exitedAt: number;
}

/**
 * Runs `script` (e.g. the built CLI) with this Node.js and exactly `env`, collecting its output. `started` gets the
 * child as soon as it is spawned, so a test can signal it (SIGINT, SIGKILL) at the state it waits for.
 */
export function runNodeScript(
  script: string,
  args: readonly string[],
  options: {
    readonly cwd: string;
    readonly env: NodeJS.ProcessEnv;
    readonly started?: (child: ChildProcess) => void;
  },
): Promise<ScriptExit> {
  const begun = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    let exitedAt: number | undefined;
    child.on('exit', () => {
      exitedAt = performance.now();
    });
    options.started?.(child);
    child.on('close', (code) => {
      const now = performance.now();
      done({ code, stdout, stderr, seconds: (now - begun) / 1000, exitedAt: exitedAt ?? now });
    });
  });
}
