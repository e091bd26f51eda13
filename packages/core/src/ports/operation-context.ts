import type { LogSink } from './log-sink.js';

/** What every port operation may receive: cancellation and a place to log. */
export interface OperationContext {
  /** Aborting cancels the operation; adapters kill their child processes. */
  readonly signal?: AbortSignal;
  /** Receives output lines; `source` defaults to the adapter's name. */
  readonly log?: LogSink;
  /** Prefix for log lines (normally the id of the step running the operation). */
  readonly logSource?: string;
}
