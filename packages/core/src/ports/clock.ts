/** Time source. The real clock reads the wall clock; the simulator brings a virtual one. */
export interface Clock {
  /** Milliseconds since an arbitrary origin fixed for the clock's lifetime. */
  now(): number;
  /** Resolves after `ms`; rejects with `CancelledError` (the signal's reason as `cause`) when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
