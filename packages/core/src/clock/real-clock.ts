import { performance } from 'node:perf_hooks';
import { CancelledError } from '../errors/simple-errors.js';
import type { Clock } from '../ports/clock.js';

function cancelled(signal: AbortSignal): CancelledError {
  const reason: unknown = signal.reason;
  return new CancelledError(
    `sleep was cancelled${reason instanceof Error ? `: ${reason.message}` : ''}`,
    reason === undefined ? undefined : { cause: reason },
  );
}

/**
 * The wall clock. `now()` is monotonic (`performance.now()`), so durations never jump with NTP or DST;
 * `sleep()` rejects with `CancelledError` (the signal's reason as `cause`) as soon as the signal aborts.
 */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(cancelled(signal!));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
