import type { LogSink } from './log-sink.js';

/** What every port operation may receive: cancellation and a place to log. */
export interface OperationContext {
  /** Aborting cancels the operation; adapters kill their child processes. */
  readonly signal?: AbortSignal;
  /** Receives output lines; `source` defaults to the adapter's name. */
  readonly log?: LogSink;
  /** Prefix for log lines (normally the id of the step running the operation). */
  readonly logSource?: string;
  /**
   * How long one request to the cluster's API server may wait for its answer (kubectl's `--request-timeout`), so a
   * hung API server costs bounded time: diagnostics set it. Adapters that talk to no API server ignore it.
   */
  readonly requestTimeoutMs?: number;
}
