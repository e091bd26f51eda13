import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real binary, as users run it (built by `pnpm test` before the tests). */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface BinExit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `kubernaut-e2e` binary with exactly `env` (no inherited PATH) and collects its output. */
export function runBin(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<BinExit> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
