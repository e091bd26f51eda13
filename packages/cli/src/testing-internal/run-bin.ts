import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runNodeScript, type ScriptExit } from '@kubernaut-e2e/test-harness';

/** The real binary, as users run it (built by `pnpm test` before the tests). */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export { WORKSPACE_CONFIG } from './workspace-config.js';

export type BinExit = ScriptExit;

/** Runs the built `kubernaut-e2e` binary with exactly `env` (no inherited PATH) and collects its output. */
export function runBin(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; started?: (child: ChildProcess) => void },
): Promise<BinExit> {
  return runNodeScript(BIN, args, options);
}
