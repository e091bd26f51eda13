/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts — so a port that
 * ignores its signal cannot hold up cancellation or a timeout.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** True for errors that declare a retry may succeed (`KubernautError.transient`, checked structurally). */
export function isTransient(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { transient?: unknown }).transient === true;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
