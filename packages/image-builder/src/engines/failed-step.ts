import { CommandError, type LogSink } from '@kubernaut-e2e/core';

/** A step header: podman/buildah `STEP 3/5: …` (`[2/2] STEP …` in multi-stage builds), docker's `Step 3/5 : …`. */
const STEP_HEADER = /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: |^Step \d+\/\d+ : /;

/**
 * Keeps the output of the build step in progress, so a failed build reports what the step printed — a compiler's
 * `file.go:12:3: …` lines — and not only podman's `building at STEP "RUN …": exit status 1`. podman and docker print
 * a RUN step's output on stdout and only their own verdict on stderr, which is all a `CommandError` would carry.
 */
export class FailedStepOutput {
  private lines: string[] = [];

  constructor(private readonly maxLines = 40) {}

  /** A log sink that records each line and hands it on to `next`. */
  tap(next: LogSink | undefined): LogSink {
    return (line) => {
      if (line.stream !== 'info') this.add(line.text);
      next?.(line);
    };
  }

  add(text: string): void {
    if (STEP_HEADER.test(text)) {
      this.lines = [text];
      return;
    }
    if (this.lines.length === 0) return;
    this.lines.push(text);
    // Keep the header and the newest lines: a compiler prints its errors last.
    if (this.lines.length > this.maxLines) this.lines.splice(1, 1);
  }

  /** The step's output in front of the error's own tail; anything but a `CommandError` is returned as it is. */
  explain(error: unknown): unknown {
    if (!(error instanceof CommandError) || error.timedOut || this.lines.length <= 1) return error;
    const own = new Set(error.stderrTail);
    const output = this.lines.filter((line) => !own.has(line));
    if (output.length <= 1) return error;
    return new CommandError(
      { ...commandFailure(error), stderrTail: [...output, ...error.stderrTail] },
      { cause: error, transient: error.transient },
    );
  }
}

function commandFailure(error: CommandError) {
  return {
    argv: error.argv,
    timedOut: error.timedOut,
    stderrTail: error.stderrTail,
    ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode }),
    ...(error.signal === undefined ? {} : { signal: error.signal }),
    ...(error.durationMs === undefined ? {} : { durationMs: error.durationMs }),
  };
}
