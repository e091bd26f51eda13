import type { LogSink } from './log-sink.js';

export interface RunOptions {
  readonly cwd?: string;
  /** Added to the parent environment (a value of `undefined` removes the variable). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Written to the child's stdin, then stdin is closed. */
  readonly input?: string | Uint8Array;
  /** Kill the command after this many milliseconds (raises a `CommandError` with `timedOut: true`). */
  readonly timeoutMs?: number;
  /** Aborting kills the whole process tree (SIGTERM, then SIGKILL after `forceKillAfterMs`). */
  readonly signal?: AbortSignal;
  readonly forceKillAfterMs?: number;
  /** Each line of stdout/stderr is streamed here as it arrives, prefixed with `logSource`. */
  readonly log?: LogSink;
  readonly logSource?: string;
  /**
   * Write stdout and stderr to the files `stdout` and `stderr` in this directory (which must exist; the caller
   * removes it) instead of pipes. Lines still reach `log` while the command runs (read every 50 ms) and the result
   * carries the output as usual. Why: a program writing to a pipe whose reader is gone dies of SIGPIPE at its next
   * line, before its own cleanup; with files, a command that must finish cleanly (a podman build, which otherwise
   * leaves its working containers) outlives this process being killed.
   */
  readonly outputDir?: string;
}

export interface CommandResult {
  readonly argv: readonly string[];
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  readonly durationMs: number;
}

/** A long-running command (e.g. `kubectl port-forward`) whose output is read while it runs. */
export interface RunningCommand {
  readonly argv: readonly string[];
  readonly pid: number | undefined;
  /** Resolves with the first stdout/stderr line matching `pattern`; rejects if the command exits first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Settles when the command exits (rejects with `CommandError` on failure, unless stopped by `stop()`). */
  readonly done: Promise<CommandResult>;
  /** Terminates the process tree and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The process boundary. Every external command in kubernaut-e2e goes through here, always as an
 * argv array — never a shell string. Unit tests replace it with the scripted fake runner.
 */
export interface CommandRunner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  start(file: string, args: readonly string[], options?: RunOptions): RunningCommand;
}
