import type { CliIo } from '../io.js';
import { main } from '../main.js';

export { WORKSPACE_CONFIG } from './workspace-config.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one CLI invocation in-process with captured output (non-interactive, like CI). */
export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
  signal?: AbortSignal,
  cwd = process.cwd(),
  /** Sees stderr as it is written (e.g. to interrupt the run once a step has started). */
  onStderr?: (text: string) => void,
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
      onStderr?.(t);
    },
    interactive: false,
    env,
    cwd,
  };
  const code = await main(argv, io, signal ?? new AbortController().signal);
  return { code, stdout, stderr };
}
