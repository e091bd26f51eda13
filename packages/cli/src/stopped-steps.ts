import type { Trace } from '@kubernaut-e2e/orchestrator';

/** How many stderr lines of a stopped step a failure message repeats. */
const TAIL_LINES = 5;

/**
 * The lines that name the step(s) a failed or interrupted run stopped in, each with the tail of its stderr, when the
 * error's own message does not carry them: a step past its deadline fails with "did not finish within …", and an
 * interrupted run with "interrupted" — neither says what the step was doing. A command's failure already quotes its
 * stderr in the message; it is not repeated.
 */
export function stoppedStepLines(options: {
  readonly message: string;
  readonly interrupted: boolean;
  readonly trace: Trace | undefined;
  readonly stderrTails: Readonly<Record<string, readonly string[]>>;
}): string[] {
  const { message, interrupted, trace } = options;
  const stopped = interrupted
    ? (trace?.steps ?? []).filter((s) => s.outcome === 'cancelled' && s.start !== undefined).map((s) => s.id)
    : Object.keys(options.stderrTails);
  const lines: string[] = [];
  for (const id of stopped) {
    const tail = (options.stderrTails[id] ?? []).filter((l) => l.trim() !== '').slice(-TAIL_LINES);
    if (!interrupted && (tail.length === 0 || message.includes(tail.at(-1)!))) continue;
    lines.push(
      `${interrupted ? 'Interrupted in' : 'Stopped in'} ${id}${tail.length > 0 ? '; its last stderr lines:' : ' (it printed nothing on stderr)'}`,
      ...tail.map((l) => `  │ ${l}`),
    );
  }
  return lines;
}
