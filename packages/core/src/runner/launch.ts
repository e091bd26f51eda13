import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Options, Result } from 'execa';
import { CommandError, formatArgv } from '../errors/command-error.js';
import { ConfigError } from '../errors/config-error.js';
import { CancelledError, ToolNotFoundError } from '../errors/simple-errors.js';
import type { CommandResult, RunOptions } from '../ports/command-runner.js';
import type { LogLine, LogSink } from '../ports/log-sink.js';
import { installHint } from './install-hints.js';
import { OutputFiles } from './output-files.js';
import { signalGroup, trackGroup, untrackGroup } from './process-tree.js';

/** How many trailing output lines a `CommandError` carries. */
export const STDERR_TAIL_LINES = 20;
export const DEFAULT_FORCE_KILL_AFTER_MS = 5_000;

export interface LaunchDefaults {
  readonly log?: LogSink;
  readonly defaultTimeoutMs?: number;
  readonly now: () => number;
}

/** Why we asked the process to terminate; decides which error (if any) its exit becomes. */
type TerminationReason = 'timeout' | 'abort' | 'stop';

export interface Launched {
  readonly argv: readonly string[];
  readonly pid: number | undefined;
  /** Settles after the process exited and its output was read. Never left unhandled. */
  readonly result: Promise<CommandResult>;
  /** SIGTERM to the process group, SIGKILL after `forceKillAfterMs`. Idempotent. */
  terminate(reason: TerminationReason): void;
}

export const defaultNow = (): number => performance.now();

let execaModule: typeof import('execa') | undefined;

/**
 * execa, loaded at the first command rather than with the package: it is a quarter of `@kubernaut-e2e/core`'s load
 * time, and a process that only plans or simulates never runs a command. `start()` must return the child's pid at
 * once, so the load is synchronous: `require()` of an ES module, which Node supports from 20.19 (our engines floor).
 */
function loadExeca(): typeof import('execa') {
  execaModule ??= createRequire(import.meta.url)('execa') as typeof import('execa');
  return execaModule;
}

/** The last `STDERR_TAIL_LINES` lines of stderr, or of stdout when stderr was empty. */
export function outputTail(stderr: string, stdout: string): string[] {
  const source = stderr.trim() ? stderr : stdout;
  const lines = source.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.slice(-STDERR_TAIL_LINES);
}

function buildEnv(extra: RunOptions['env']): Record<string, string> {
  const env: Record<string, string | undefined> = { ...process.env, ...extra };
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) result[key] = value;
  return result;
}

function exitCodeOf(result: Result): number {
  if (typeof result.exitCode === 'number') return result.exitCode;
  // Shell convention for "killed by signal N" so a result always carries a number.
  const signal = result.signal as keyof typeof constants.signals | undefined;
  return signal && constants.signals[signal] ? 128 + constants.signals[signal] : 1;
}

/**
 * Spawns `file args` detached (own process group) through execa and turns its outcome into a
 * `CommandResult` or one of the typed errors. Shared by `run()` and `start()`.
 */
export function launch(
  file: string,
  args: readonly string[],
  options: RunOptions,
  defaults: LaunchDefaults,
  onLine?: (line: LogLine) => void,
): Launched {
  const argv = [file, ...args];
  const { signal } = options;
  if (typeof file !== 'string' || file === '') {
    return rejected(argv, ConfigError.field('file', 'the command to run must be a non-empty program name'));
  }
  if (signal?.aborted) {
    return rejected(argv, cancelled(argv, signal));
  }

  const log = options.log ?? defaults.log;
  const source = options.logSource ?? file.split('/').pop() ?? file;
  const emit = (stream: 'stdout' | 'stderr', line: string) => {
    const entry: LogLine = { source, stream, text: line, at: defaults.now() };
    try {
      log?.(entry);
      onLine?.(entry);
    } catch {
      // A log sink must not break the command it observes.
    }
  };
  const tap = (stream: 'stdout' | 'stderr') =>
    function* (chunk: unknown) {
      // Without `binary: true`, execa hands transforms one decoded line at a time.
      const line = String(chunk);
      emit(stream, line);
      yield line;
    };

  let files: OutputFiles | undefined;
  if (options.outputDir !== undefined) {
    try {
      files = new OutputFiles(options.outputDir, emit);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return rejected(
        argv,
        ConfigError.field('outputDir', `cannot hold the output of \`${formatArgv(argv)}\`: ${why}`),
      );
    }
  }

  const startedAt = defaults.now();
  const execaOptions = {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: buildEnv(options.env),
    extendEnv: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    // A file descriptor goes to the child as it is (no pipe through this process). execa takes any descriptor;
    // its types list only 3–9.
    stdout: files ? (files.stdout.writeFd as 3) : tap('stdout'),
    stderr: files ? (files.stderr.writeFd as 3) : tap('stderr'),
    detached: true,
    cleanup: false,
    reject: false,
    stripFinalNewline: true,
  } satisfies Options;
  const subprocess = loadExeca().execa(file, [...args], execaOptions);
  // Spawning is synchronous: the child holds its own copies of the files now.
  files?.follow();
  const pid = subprocess.pid;
  if (pid !== undefined) trackGroup(pid);

  const forceKillAfterMs = options.forceKillAfterMs ?? DEFAULT_FORCE_KILL_AFTER_MS;
  let reason: TerminationReason | undefined;
  let exited = false;
  let forceTimer: NodeJS.Timeout | undefined;

  const terminate = (why: TerminationReason): void => {
    if (exited || reason !== undefined || pid === undefined) return;
    reason = why;
    signalGroup(pid, 'SIGTERM');
    forceTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), forceKillAfterMs);
  };

  // Once the leader has exited after we asked the tree to stop, anything left in its group is an
  // orphan we meant to stop too — kill it now instead of waiting for the force-kill delay (a
  // grandchild holding the stdout pipe would otherwise keep the command "running").
  subprocess.once('exit', () => {
    exited = true;
    if (pid !== undefined && reason !== undefined) signalGroup(pid, 'SIGKILL');
  });

  const timeoutMs = options.timeoutMs ?? defaults.defaultTimeoutMs;
  const timeoutTimer =
    timeoutMs !== undefined && timeoutMs > 0 ? setTimeout(() => terminate('timeout'), timeoutMs) : undefined;
  const onAbort = (): void => terminate('abort');
  signal?.addEventListener('abort', onAbort, { once: true });

  const result = subprocess.then((outcome): CommandResult => {
    clearTimeout(timeoutTimer);
    clearTimeout(forceTimer);
    signal?.removeEventListener('abort', onAbort);
    if (pid !== undefined) untrackGroup(pid);
    const durationMs = Math.round(defaults.now() - startedAt);
    const written = files?.finish();
    const stdout = written ? written.stdout : typeof outcome.stdout === 'string' ? outcome.stdout : '';
    const stderr = written ? written.stderr : typeof outcome.stderr === 'string' ? outcome.stderr : '';

    if (reason === 'abort') throw cancelled(argv, signal, outcome);
    if (reason === 'timeout') {
      throw new CommandError(
        {
          argv,
          ...(outcome.signal ? { signal: outcome.signal } : {}),
          ...(typeof outcome.exitCode === 'number' ? { exitCode: outcome.exitCode } : {}),
          timedOut: true,
          durationMs,
          stderrTail: outputTail(stderr, stdout),
        },
        { cause: outcome, transient: true },
      );
    }
    if (outcome.failed && reason !== 'stop')
      throw failure(argv, outcome, options, durationMs, stdout, stderr);
    return { argv, stdout, stderr, exitCode: outcome.failed ? exitCodeOf(outcome) : 0, durationMs };
  });
  result.catch(() => {});
  return { argv, pid, result, terminate };
}

function failure(
  argv: readonly string[],
  outcome: Result,
  options: RunOptions,
  durationMs: number,
  stdout: string,
  stderr: string,
): Error {
  const code = (outcome as { code?: string }).code;
  if (/The "cwd" option is invalid/.test(outcome.message ?? '')) {
    return ConfigError.field('cwd', `working directory ${options.cwd} does not exist or is not a directory`);
  }
  if (code === 'ENOENT' && outcome.exitCode === undefined) {
    const tool = argv[0] ?? '';
    return new ToolNotFoundError(tool, installHint(tool), {
      cause: outcome,
      detail: `\`${tool}\` was not found on PATH (needed to run \`${formatArgv(argv)}\`)`,
    });
  }
  return new CommandError(
    {
      argv,
      ...(typeof outcome.exitCode === 'number' ? { exitCode: outcome.exitCode } : {}),
      ...(outcome.signal ? { signal: outcome.signal } : {}),
      timedOut: false,
      durationMs,
      stderrTail: outputTail(stderr, stdout),
    },
    { cause: outcome },
  );
}

function cancelled(
  argv: readonly string[],
  signal: AbortSignal | undefined,
  outcome?: unknown,
): CancelledError {
  const reason: unknown = signal?.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : '';
  return new CancelledError(`command \`${formatArgv(argv)}\` was cancelled${why}`, {
    cause: reason ?? outcome,
  });
}

function rejected(argv: readonly string[], error: Error): Launched {
  const result = Promise.reject(error);
  result.catch(() => {});
  return { argv, pid: undefined, result, terminate: () => {} };
}
