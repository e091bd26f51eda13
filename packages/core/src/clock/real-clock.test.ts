import { describe, expect, it } from 'vitest';
import { CancelledError } from '../errors/simple-errors.js';
import { realClock } from './real-clock.js';

describe('realClock', () => {
  it('now() is monotonic and advances across a sleep', async () => {
    const before = realClock.now();
    await realClock.sleep(20);
    expect(realClock.now()).toBeGreaterThan(before);
  });

  it('sleep() rejects with CancelledError carrying the reason when the signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = realClock.sleep(60_000, controller.signal);
    const reason = new Error('run cancelled by SIGINT');
    controller.abort(reason);
    const error = await sleeping.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).cause).toBe(reason);
    expect((error as Error).message).toContain('run cancelled by SIGINT');
  });

  it('sleep() with an already aborted signal rejects at once', async () => {
    await expect(realClock.sleep(60_000, AbortSignal.abort())).rejects.toBeInstanceOf(CancelledError);
  });
});
