import { CancelledError, ConfigError, ErrorCode, isKubernautError } from '@kubernaut-e2e/core';
import { parseCliArgs, USAGE } from './args.js';
import { benchCommand } from './commands/bench.js';
import { downCommand } from './commands/down.js';
import { planCommand } from './commands/plan.js';
import { statusCommand } from './commands/status.js';
import { upCommand } from './commands/up.js';
import { type CliIo, ExitCode } from './io.js';

/**
 * Runs one CLI invocation and returns its exit code: 0 success, 1 a step failed, 2 bad input (nothing ran),
 * 130 interrupted (after cleanup). `signal` is aborted by the binary on SIGINT/SIGTERM.
 */
export async function main(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
  try {
    const args = parseCliArgs(argv, io.env);
    switch (args.command) {
      case 'help':
        io.stdout(USAGE);
        return ExitCode.Ok;
      case 'up':
        return await upCommand(args, io, signal);
      case 'down':
        return await downCommand(args, io, signal);
      case 'plan':
        return await planCommand(args, io);
      case 'bench':
        return await benchCommand(args, io, signal);
      case 'status':
        return await statusCommand(args, io);
    }
  } catch (error) {
    return reportError(error, io, signal);
  }
}

function reportError(error: unknown, io: CliIo, signal: AbortSignal): number {
  if (signal.aborted || error instanceof CancelledError || causeCode(error) === ErrorCode.Cancelled) {
    io.stderr('\nInterrupted: everything this run created was cleaned up.\n');
    return ExitCode.Interrupted;
  }
  if (error instanceof ConfigError) {
    io.stderr(`\n${messageOf(error)}\nNothing was run. See \`kubernaut-e2e --help\`.\n`);
    return ExitCode.BadInput;
  }
  const code = isKubernautError(error) ? ` [${error.code}]` : '';
  io.stderr(`\nkubernaut-e2e failed${code}: ${messageOf(error)}\n`);
  if (!isKubernautError(error) && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return ExitCode.StepFailed;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The code of the innermost meaningful error (a step's failure wraps what went wrong). */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (isKubernautError(current) && current.code !== ErrorCode.Step) return current.code;
    current = current.cause;
  }
  return undefined;
}
