/** One line of output, attributed to the step (or tool) that produced it. */
export interface LogLine {
  /** Prefix shown before the text, usually the step id, e.g. `build:gateway`. */
  readonly source: string;
  readonly stream: 'stdout' | 'stderr' | 'info';
  readonly text: string;
  /** Milliseconds on the run's clock. */
  readonly at: number;
}

/** Where command output and progress messages go. Must not throw. */
export type LogSink = (line: LogLine) => void;

/** A sink that drops everything; the default when a caller passes none. */
export const silentLog: LogSink = () => {};
