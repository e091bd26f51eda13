import { ErrorCode } from '@kubernaut-e2e/core/errors';
import { type CliArgs, parseCliArgs } from './args.js';
import { type CliIo, ExitCode } from './io.js';

/**
 * Runs one CLI invocation and returns its exit code: 0 success, 1 a step failed, 2 bad input (nothing ran),
 * 130 interrupted (after cleanup). `signal` is aborted by the binary on SIGINT/SIGTERM. A command's modules load
 * only when that command runs: parsing the command line loads nothing heavy, and bad input is refused before the
 * project config or any toolchain loads.
 */
export async function main(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
  let args: CliArgs | undefined;
  try {
    args = parseCliArgs(argv, io.env);
    // Before any package that defines schemas loads: zod decides how to check a schema when it is created.
    if (io.interpretSchemas) (await import('@kubernaut-e2e/core/schema-mode')).interpretSchemas();
    if (args.command === 'help') return await (await import('./commands/help.js')).helpCommand(args, io);
    return await runCommand(args, io, signal);
  } catch (error) {
    const code = reportError(error, io, signal);
    // `up --output json|env` prints a result whatever happened: refused input, a failed step, an interrupt.
    if (args?.command === 'up' && args.output !== undefined) await printUpFailure(io, args, error, signal);
    return code;
  }
}

async function printUpFailure(io: CliIo, args: CliArgs, error: unknown, signal: AbortSignal): Promise<void> {
  const { printResult, upFailure } = await import('./result/print-result.js');
  const { diagnosticsOfFailedSetup, failedSetupOf } = await import('@kubernaut-e2e/setup');
  printResult(
    io,
    args.output!,
    upFailure(
      args.services[0] ?? '',
      error,
      signal.aborted,
      failedSetupOf(error),
      diagnosticsOfFailedSetup(error),
    ),
  );
}

/** Loads the project config and runs one command (every command but `--help`). */
async function runCommand(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
  // `init` writes the project config: it runs without one.
  if (args.command === 'init') return await (await import('./commands/init.js')).initCommand(args, io);
  const { findProjectConfig, loadProjectConfig, selectServices } = await import('./project-config.js');
  // `status` and `prune` look at this machine, not at services: they run without a project config too.
  if (args.command === 'status' || args.command === 'prune') {
    const config = await findProjectConfig(args, io.cwd);
    return args.command === 'status'
      ? await (await import('./commands/status.js')).statusCommand(args, config, io)
      : await (await import('./commands/prune.js')).pruneCommand(args, io, signal);
  }
  const config = await loadProjectConfig(args, io.cwd);
  const services = selectServices(args, config);
  switch (args.command) {
    case 'up':
      return await (await import('./commands/up.js')).upCommand(args, config, services[0]!, io, signal);
    case 'down':
      return await (await import('./commands/down.js')).downCommand(args, config, services[0]!, io, signal);
    case 'plan':
      return await (await import('./commands/plan.js')).planCommand(args, config, services[0]!, io);
    case 'render':
      return await (await import('./commands/render.js')).renderCommand(args, config, services[0]!, io);
    case 'bench':
      return await (await import('./commands/bench.js')).benchCommand(args, config, services, io, signal);
    case 'dev':
      return await (await import('./commands/dev.js')).devCommand(args, config, services[0]!, io, signal);
    case 'gather':
      return await (await import('./commands/gather.js')).gatherCommand(
        args,
        config,
        services[0]!,
        io,
        signal,
      );
    case 'affected':
      return await (await import('./commands/affected.js')).affectedCommand(args, config, services, io);
    case 'help':
      return await (await import('./commands/help.js')).helpCommand(args, io);
  }
}

/** Error codes are compared, not classes: a project config may load its own copy of the packages. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('KE_') ? code : undefined;
}

function reportError(error: unknown, io: CliIo, signal: AbortSignal): number {
  if (signal.aborted || causeCode(error) === ErrorCode.Cancelled) {
    io.stderr('\nInterrupted: everything this run created was cleaned up.\n');
    return ExitCode.Interrupted;
  }
  if (codeOf(error) === ErrorCode.Config || codeOf(error) === ErrorCode.Plan) {
    io.stderr(`\n${messageOf(error)}\nNothing was run. See \`kubernaut-e2e --help\`.\n`);
    return ExitCode.BadInput;
  }
  const code = codeOf(error);
  io.stderr(`\nkubernaut-e2e failed${code ? ` [${code}]` : ''}: ${messageOf(error)}\n`);
  // Only a bug (an error nobody raised on purpose) gets a stack trace.
  if (code === undefined && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return ExitCode.StepFailed;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The code of the innermost meaningful error (a step's failure wraps what went wrong). */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = codeOf(current);
    if (code !== undefined && code !== ErrorCode.Step) return code;
    current = current.cause;
  }
  return undefined;
}
