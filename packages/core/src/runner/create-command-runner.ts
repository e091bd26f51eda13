import { CommandError, formatArgv } from '../errors/command-error.js';
import { CancelledError, TimeoutError } from '../errors/simple-errors.js';
import type { Clock } from '../ports/clock.js';
import type { CommandResult, CommandRunner, RunningCommand, RunOptions } from '../ports/command-runner.js';
import type { LogLine, LogSink } from '../ports/log-sink.js';
import { defaultNow, type Launched, launch } from './launch.js';

export interface CommandRunnerOptions {
  /** Receives every output line of every command (a per-call `log` option takes precedence). */
  readonly log?: LogSink;
  /** Applied to `run()` calls that pass no `timeoutMs`. No timeout when omitted. */
  readonly defaultTimeoutMs?: number;
  /** Stamps log lines (`at`); `performance.now()` when omitted. */
  readonly clock?: Pick<Clock, 'now'>;
}

/** Lines a running command keeps so `waitForLine` also sees output printed before it was called. */
const MAX_REMEMBERED_LINES = 1_000;

/**
 * The real `CommandRunner`, on execa. Commands are argv arrays (never a shell string), run in their own
 * process group so cancellation and timeouts kill the whole tree, and their output lines are streamed to
 * the log while they run.
 *
 * Without `input`, the child's stdin is `/dev/null`, so a tool that reads stdin sees end-of-file instead
 * of waiting forever for a terminal that is not there.
 *
 * Failures are typed: a non-zero exit or a timeout is a `CommandError` (argv, exit code or signal, the
 * last stderr lines), an aborted signal is a `CancelledError`, a missing binary a `ToolNotFoundError`
 * that says how to install it.
 */
export function createCommandRunner(options: CommandRunnerOptions = {}): CommandRunner {
  const now = options.clock ? () => options.clock!.now() : defaultNow;
  const defaults = {
    ...(options.log ? { log: options.log } : {}),
    ...(options.defaultTimeoutMs !== undefined ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
    now,
  };
  return {
    run(file: string, args: readonly string[], runOptions: RunOptions = {}): Promise<CommandResult> {
      return launch(file, args, runOptions, defaults).result;
    },
    start(file: string, args: readonly string[], runOptions: RunOptions = {}): RunningCommand {
      // Long-running commands (port-forward, log followers) have no default deadline.
      const startDefaults = { ...(options.log ? { log: options.log } : {}), now };
      return new LiveCommand(file, args, runOptions, startDefaults);
    },
  };
}

interface LineWaiter {
  readonly pattern: RegExp;
  readonly resolve: (line: string) => void;
}

/** A `RunningCommand` backed by a launched process. */
class LiveCommand implements RunningCommand {
  readonly argv: readonly string[];
  readonly pid: number | undefined;
  readonly done: Promise<CommandResult>;
  readonly #launched: Launched;
  readonly #lines: string[] = [];
  readonly #waiters = new Set<LineWaiter>();
  #stopping: Promise<void> | undefined;
  /** Settles (never rejects) once the process is gone, with the error it ended with, if any. */
  readonly #ended: Promise<{ error?: unknown }>;

  constructor(
    file: string,
    args: readonly string[],
    options: RunOptions,
    defaults: { log?: LogSink; now: () => number },
  ) {
    this.#launched = launch(file, args, options, defaults, (line) => this.#onLine(line));
    this.argv = this.#launched.argv;
    this.pid = this.#launched.pid;
    this.done = this.#launched.result;
    this.#ended = this.done.then(
      () => ({}),
      (error: unknown) => ({ error }),
    );
  }

  #onLine(line: LogLine): void {
    this.#lines.push(line.text);
    if (this.#lines.length > MAX_REMEMBERED_LINES) this.#lines.shift();
    for (const waiter of this.#waiters) {
      waiter.pattern.lastIndex = 0;
      if (waiter.pattern.test(line.text)) waiter.resolve(line.text);
    }
  }

  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.#lines.find((l) => {
      pattern.lastIndex = 0;
      return pattern.test(l);
    });
    if (seen !== undefined) return Promise.resolve(seen);

    return new Promise<string>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: LineWaiter = {
        pattern,
        resolve: (line) => {
          settle();
          resolve(line);
        },
      };
      const settle = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
      timer = setTimeout(() => {
        settle();
        reject(
          new TimeoutError(
            `waiting for \`${formatArgv(this.argv)}\` to print a line matching ${pattern}`,
            timeoutMs,
          ),
        );
      }, timeoutMs);
      void this.#ended.then(({ error }) => {
        if (!this.#waiters.has(waiter)) return;
        settle();
        reject(this.#exitedBeforeMatch(pattern, error));
      });
    });
  }

  #exitedBeforeMatch(pattern: RegExp, error: unknown): Error {
    const context = `waiting for a line matching ${pattern}`;
    if (this.#stopping)
      return new CancelledError(`${context}: the command was stopped first`, { cause: error });
    if (error instanceof CommandError) {
      return new CommandError(error, { context, cause: error });
    }
    if (error instanceof Error) return error;
    return new CommandError(
      { argv: this.argv, exitCode: 0, timedOut: false, stderrTail: this.#lines.slice(-20) },
      { context: `${context}, but it exited first` },
    );
  }

  stop(): Promise<void> {
    if (!this.#stopping) {
      this.#launched.terminate('stop');
      this.#stopping = this.#ended.then(() => undefined);
    }
    return this.#stopping;
  }
}
