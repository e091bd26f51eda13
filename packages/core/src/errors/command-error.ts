import { ErrorCode, KubernautError } from './kubernaut-error.js';

export interface CommandFailure {
  readonly argv: readonly string[];
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly durationMs?: number;
  /** Last lines of stderr (stdout when stderr was empty). */
  readonly stderrTail: readonly string[];
}

/** Quote argv for display only; commands are never run through a shell. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function describe(f: CommandFailure): string {
  if (f.timedOut) return `timed out after ${f.durationMs ?? '?'} ms`;
  if (f.signal) return `was killed by ${f.signal}`;
  return `exited with code ${f.exitCode ?? '?'}`;
}

/** An external command failed. Carries the argv, the exit code or signal, and the tail of stderr. */
export class CommandError extends KubernautError implements CommandFailure {
  readonly code = ErrorCode.Command;
  readonly argv: readonly string[];
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly durationMs?: number;
  readonly stderrTail: readonly string[];

  constructor(failure: CommandFailure, options?: { cause?: unknown; context?: string; transient?: boolean }) {
    const tail = failure.stderrTail.length ? `\n${failure.stderrTail.map((l) => `  │ ${l}`).join('\n')}` : '';
    const context = options?.context ? `${options.context}: ` : '';
    super(`${context}command \`${formatArgv(failure.argv)}\` ${describe(failure)}${tail}`, options);
    this.argv = failure.argv;
    if (failure.exitCode !== undefined) this.exitCode = failure.exitCode;
    if (failure.signal !== undefined) this.signal = failure.signal;
    this.timedOut = failure.timedOut;
    if (failure.durationMs !== undefined) this.durationMs = failure.durationMs;
    this.stderrTail = failure.stderrTail;
  }
}
