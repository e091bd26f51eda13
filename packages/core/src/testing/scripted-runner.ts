import { CommandError, formatArgv } from '../errors/command-error.js';
import { CancelledError, TimeoutError } from '../errors/simple-errors.js';
import type { CommandResult, CommandRunner, RunningCommand, RunOptions } from '../ports/command-runner.js';
import type { LogLine } from '../ports/log-sink.js';
import { outputTail } from '../runner/launch.js';

/** One line a scripted command "prints". A bare string is a stdout line. */
export type ScriptedLine = string | { readonly stream: 'stdout' | 'stderr'; readonly text: string };

/** What a scripted command does when called. */
export interface ScriptedResponse {
  /** Whole stdout; when omitted it is the stdout part of `lines`. */
  readonly stdout?: string;
  /** Whole stderr; when omitted it is the stderr part of `lines`. */
  readonly stderr?: string;
  /** Non-zero makes the call throw a real `CommandError`, as the real runner does. Default 0. */
  readonly exitCode?: number;
  /**
   * Lines streamed to the call's `log` (and, for `start()`, to `waitForLine`) in this order. When omitted,
   * the lines of `stdout` then `stderr` are streamed.
   */
  readonly lines?: readonly ScriptedLine[];
  /** Throw this instead of producing output (e.g. a `ToolNotFoundError`). */
  readonly error?: Error;
  /** Never finish on its own: settles only when the call's signal aborts (`CancelledError`) or on `stop()`. */
  readonly hang?: boolean;
  /**
   * `start()` only: the command exits after printing its lines (with `exitCode`). By default a started
   * command keeps running until `stop()` or its signal, like `kubectl port-forward`.
   */
  readonly exits?: boolean;
}

/** A recorded call to the scripted runner. */
export interface ScriptedCall {
  readonly method: 'run' | 'start';
  readonly argv: readonly string[];
  readonly options: RunOptions;
  /** Index of the expectation that answered it. */
  readonly expectation: number;
}

interface ExpectationBase extends ScriptedResponse {
  /** Require these variables in the call's `env` (exact values; `undefined` = must be removed). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Require exactly this stdin `input`. */
  readonly input?: string;
  /** Only answer `run()` or only `start()` calls; either when omitted. */
  readonly method?: 'run' | 'start';
  /** How many calls this expectation answers; default 1. `Infinity` for polling loops. */
  readonly times?: number;
  /** Computes the response from the actual call (overrides the static response fields it returns). */
  readonly respond?: (call: { argv: readonly string[]; options: RunOptions }) => ScriptedResponse;
}

/** Matches one exact argv (program first), e.g. `['podman', 'build', '-t', ref, ctx]`. */
export interface ExactExpectation extends ExpectationBase {
  readonly argv: readonly string[];
}

/** Matches any argv the predicate accepts; `description` is shown in failure messages. */
export interface PredicateExpectation extends ExpectationBase {
  readonly match: (argv: readonly string[], options: RunOptions) => boolean;
  readonly description?: string;
}

export type ScriptedExpectation = ExactExpectation | PredicateExpectation;

interface Slot {
  readonly expectation: ScriptedExpectation;
  readonly index: number;
  used: number;
}

/**
 * A fake `CommandRunner` for unit tests: the process boundary is the only thing kubernaut-e2e mocks.
 * Each call must match an unused expectation (any order, since concurrent steps call in any order);
 * an unexpected call throws loudly with the argv and what was still expected. Failures are real
 * `CommandError`s built like the real runner's, so adapters' error handling is exercised for real.
 */
export class ScriptedRunner implements CommandRunner {
  readonly #slots: Slot[];
  readonly #calls: ScriptedCall[] = [];
  readonly #started: ScriptedRunningCommand[] = [];
  readonly #callWaiters = new Set<{
    readonly matches: (call: ScriptedCall) => boolean;
    readonly resolve: (call: ScriptedCall) => void;
  }>();

  constructor(expectations: readonly ScriptedExpectation[] = []) {
    this.#slots = expectations.map((expectation, index) => ({ expectation, index, used: 0 }));
  }

  /** Adds expectations after construction (e.g. once a test knows a generated tag). */
  expect(...expectations: ScriptedExpectation[]): this {
    for (const expectation of expectations) {
      this.#slots.push({ expectation, index: this.#slots.length, used: 0 });
    }
    return this;
  }

  /** Every call so far, in call order, with its options (env, input, cwd, …). */
  get calls(): readonly ScriptedCall[] {
    return this.#calls;
  }

  /** The argv of every call so far, in call order. */
  get argvs(): readonly (readonly string[])[] {
    return this.#calls.map((c) => c.argv);
  }

  /**
   * Resolves with the first call — already made or still to come — that matches: an exact argv (program
   * first) or a predicate over the recorded call. It resolves as soon as the runner has *received* the
   * call, before a `hang` response starts hanging, so a test can wait for the state it asserts ("the
   * gateway build has started") instead of sleeping and hoping the call was made by then.
   */
  waitForCall(match: readonly string[] | ((call: ScriptedCall) => boolean)): Promise<ScriptedCall> {
    const matches =
      typeof match === 'function'
        ? match
        : (call: ScriptedCall) =>
            call.argv.length === match.length && match.every((a, i) => a === call.argv[i]);
    const seen = this.#calls.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = {
        matches,
        resolve: (call: ScriptedCall) => {
          this.#callWaiters.delete(waiter);
          resolve(call);
        },
      };
      this.#callWaiters.add(waiter);
    });
  }

  /** Commands returned by `start()`, in call order (to check they were stopped). */
  get started(): readonly ScriptedRunningCommand[] {
    return this.#started;
  }

  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const argv = [file, ...args];
    if (options.signal?.aborted) throw cancelled(argv, options.signal);
    const response = this.#answer('run', argv, options);
    if (response.error) throw response.error;
    const lines = linesOf(response);
    for (const line of lines) emit(options, argv, line);
    if (response.hang) {
      await new Promise<never>((_, reject) => {
        if (!options.signal) return; // hangs forever, exactly like a stuck command without a deadline
        options.signal.addEventListener('abort', () => reject(cancelled(argv, options.signal)), {
          once: true,
        });
      });
    }
    return settle(argv, response, lines);
  }

  start(file: string, args: readonly string[], options: RunOptions = {}): RunningCommand {
    const argv = [file, ...args];
    const response = this.#answer('start', argv, options);
    const command = new ScriptedRunningCommand(argv, response, options);
    this.#started.push(command);
    return command;
  }

  /** Throws unless every expectation answered at least once (and exactly `times` when finite). */
  assertAllUsed(): void {
    const unused = this.#slots.filter(
      (s) => s.used === 0 || (Number.isFinite(times(s)) && s.used < times(s)),
    );
    if (unused.length === 0) return;
    throw new Error(
      `ScriptedRunner: ${unused.length} expected command(s) never ran:\n${unused.map(describeSlot).join('\n')}\n` +
        `Calls made:\n${this.#calls.map((c) => `  ${c.method} ${formatArgv(c.argv)}`).join('\n') || '  (none)'}`,
    );
  }

  #answer(method: 'run' | 'start', argv: readonly string[], options: RunOptions): ScriptedResponse {
    const slot = this.#slots.find(
      (s) =>
        s.used < times(s) &&
        (s.expectation.method === undefined || s.expectation.method === method) &&
        matches(s.expectation, argv, options),
    );
    if (!slot) {
      this.#record({ method, argv, options, expectation: -1 });
      throw new Error(
        `ScriptedRunner: unexpected ${method}(): ${formatArgv(argv)}\n` +
          `  argv: ${JSON.stringify(argv)}\n` +
          `Remaining expectations:\n${this.#remaining().join('\n') || '  (none)'}`,
      );
    }
    checkOptions(slot, argv, options);
    slot.used += 1;
    this.#record({ method, argv, options, expectation: slot.index });
    const { expectation } = slot;
    return expectation.respond ? { ...expectation, ...expectation.respond({ argv, options }) } : expectation;
  }

  #record(call: ScriptedCall): void {
    this.#calls.push(call);
    for (const waiter of [...this.#callWaiters]) if (waiter.matches(call)) waiter.resolve(call);
  }

  #remaining(): string[] {
    return this.#slots.filter((s) => s.used < times(s)).map(describeSlot);
  }
}

function times(slot: Slot): number {
  return slot.expectation.times ?? 1;
}

function matches(expectation: ScriptedExpectation, argv: readonly string[], options: RunOptions): boolean {
  if ('argv' in expectation) {
    return expectation.argv.length === argv.length && expectation.argv.every((a, i) => a === argv[i]);
  }
  return expectation.match(argv, options);
}

function describeSlot(slot: Slot): string {
  const e = slot.expectation;
  const what =
    'argv' in e ? JSON.stringify(e.argv) : `<predicate${e.description ? `: ${e.description}` : ''}>`;
  const count = Number.isFinite(times(slot)) ? ` (${slot.used}/${times(slot)} used)` : '';
  return `  #${slot.index} ${e.method ?? 'run/start'} ${what}${count}`;
}

/** A call whose argv matched must also carry the env and input the expectation requires. */
function checkOptions(slot: Slot, argv: readonly string[], options: RunOptions): void {
  const { env, input } = slot.expectation;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env ?? {})) {
    const actual = options.env?.[key];
    const present = options.env !== undefined && key in options.env;
    if (value === undefined ? !(present && actual === undefined) : actual !== value) {
      problems.push(
        `env.${key}: expected ${JSON.stringify(value ?? '<removed>')}, got ${JSON.stringify(actual ?? (present ? '<removed>' : '<unset>'))}`,
      );
    }
  }
  if (input !== undefined) {
    const actual =
      typeof options.input === 'string'
        ? options.input
        : options.input && Buffer.from(options.input).toString();
    if (actual !== input)
      problems.push(`input: expected ${JSON.stringify(input)}, got ${JSON.stringify(actual)}`);
  }
  if (problems.length) {
    throw new Error(
      `ScriptedRunner: ${formatArgv(argv)} matched expectation #${slot.index} but its options differ:\n  ${problems.join('\n  ')}`,
    );
  }
}

function normalise(line: ScriptedLine): { stream: 'stdout' | 'stderr'; text: string } {
  return typeof line === 'string' ? { stream: 'stdout', text: line } : line;
}

function splitLines(text: string | undefined): string[] {
  if (!text) return [];
  return text.replace(/\r?\n$/, '').split(/\r?\n/);
}

function linesOf(response: ScriptedResponse): { stream: 'stdout' | 'stderr'; text: string }[] {
  if (response.lines) return response.lines.map(normalise);
  return [
    ...splitLines(response.stdout).map((text) => ({ stream: 'stdout' as const, text })),
    ...splitLines(response.stderr).map((text) => ({ stream: 'stderr' as const, text })),
  ];
}

function emit(
  options: RunOptions,
  argv: readonly string[],
  line: { stream: 'stdout' | 'stderr'; text: string },
): LogLine {
  const entry: LogLine = {
    source: options.logSource ?? argv[0]?.split('/').pop() ?? '',
    stream: line.stream,
    text: line.text,
    at: 0,
  };
  options.log?.(entry);
  return entry;
}

function textOf(lines: { stream: 'stdout' | 'stderr'; text: string }[], stream: 'stdout' | 'stderr'): string {
  return lines
    .filter((l) => l.stream === stream)
    .map((l) => l.text)
    .join('\n');
}

/** The result, or the real runner's `CommandError` for a non-zero exit. */
function settle(
  argv: readonly string[],
  response: ScriptedResponse,
  lines: { stream: 'stdout' | 'stderr'; text: string }[],
): CommandResult {
  const stdout = response.stdout?.replace(/\r?\n$/, '') ?? textOf(lines, 'stdout');
  const stderr = response.stderr?.replace(/\r?\n$/, '') ?? textOf(lines, 'stderr');
  const exitCode = response.exitCode ?? 0;
  if (exitCode !== 0) {
    throw new CommandError({
      argv,
      exitCode,
      timedOut: false,
      durationMs: 0,
      stderrTail: outputTail(stderr, stdout),
    });
  }
  return { argv, stdout, stderr, exitCode, durationMs: 0 };
}

/** Built like the real runner's: the abort reason's message is part of it. */
function cancelled(argv: readonly string[], signal: AbortSignal | undefined): CancelledError {
  const reason: unknown = signal?.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : '';
  return new CancelledError(`command \`${formatArgv(argv)}\` was cancelled${why}`, { cause: reason });
}

/**
 * What `ScriptedRunner.start()` returns: prints its scripted lines on the next tick, then keeps running
 * until `stop()` / abort, or exits when the response says `exits: true` (or fails with `exitCode`).
 */
export class ScriptedRunningCommand implements RunningCommand {
  readonly argv: readonly string[];
  readonly pid = undefined;
  readonly done: Promise<CommandResult>;
  readonly #printed: string[] = [];
  readonly #waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  #stopped = false;
  #finish!: (outcome: { result?: CommandResult; error?: unknown }) => void;
  readonly #ended: Promise<{ result?: CommandResult; error?: unknown }>;

  constructor(argv: readonly string[], response: ScriptedResponse, options: RunOptions) {
    this.argv = argv;
    this.#ended = new Promise((resolve) => {
      this.#finish = resolve;
    });
    this.done = this.#ended.then(({ result, error }) => {
      if (error !== undefined) throw error;
      return result!;
    });
    this.done.catch(() => {});
    if (options.signal?.aborted) {
      this.#finish({ error: cancelled(argv, options.signal) });
      return;
    }
    options.signal?.addEventListener(
      'abort',
      () => this.#finish({ error: cancelled(argv, options.signal) }),
      {
        once: true,
      },
    );
    const lines = linesOf(response);
    setImmediate(() => {
      if (response.error) {
        this.#finish({ error: response.error });
        return;
      }
      for (const line of lines) {
        if (this.#stopped) return;
        const entry = emit(options, argv, line);
        this.#printed.push(entry.text);
        for (const waiter of this.#waiters) if (test(waiter.pattern, entry.text)) waiter.resolve(entry.text);
      }
      const exits = response.exits || (response.exitCode !== undefined && response.exitCode !== 0);
      if (exits && !response.hang) {
        try {
          this.#finish({ result: settle(argv, response, lines) });
        } catch (error) {
          this.#finish({ error });
        }
      }
    });
  }

  /** True once `stop()` was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.#printed.find((l) => test(pattern, l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const waiter = {
        pattern,
        resolve: (line: string) => {
          cleanup();
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new TimeoutError(
            `waiting for \`${formatArgv(this.argv)}\` to print a line matching ${pattern}`,
            timeoutMs,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
      void this.#ended.then(({ error }) => {
        if (!this.#waiters.has(waiter)) return;
        cleanup();
        const context = `waiting for a line matching ${pattern}`;
        if (this.#stopped) reject(new CancelledError(`${context}: the command was stopped first`));
        else if (error instanceof CommandError) reject(new CommandError(error, { context, cause: error }));
        else if (error) reject(error);
        else {
          reject(
            new CommandError(
              { argv: this.argv, exitCode: 0, timedOut: false, stderrTail: this.#printed.slice(-20) },
              { context: `${context}, but it exited first` },
            ),
          );
        }
      });
    });
  }

  async stop(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      this.#finish({
        result: {
          argv: this.argv,
          stdout: this.#printed.join('\n'),
          stderr: '',
          exitCode: 143,
          durationMs: 0,
        },
      });
    }
    await this.#ended;
  }
}

function test(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}
