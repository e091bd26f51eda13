import { CancelledError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock.js';

describe('VirtualClock', () => {
  it('starts at 0 and advances to each timer in due order', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    expect(clock.now()).toBe(0);
    await Promise.all([
      clock.sleep(300).then(() => seen.push(`c@${clock.now()}`)),
      clock.sleep(100).then(() => seen.push(`a@${clock.now()}`)),
      clock.sleep(200).then(() => seen.push(`b@${clock.now()}`)),
    ]);
    expect(seen).toEqual(['a@100', 'b@200', 'c@300']);
  });

  it('overlaps parallel sleeps: the makespan is the longest branch, not the sum', async () => {
    const clock = new VirtualClock();
    const branch = async (steps: number[]) => {
      for (const ms of steps) await clock.sleep(ms);
      return clock.now();
    };
    const ends = await Promise.all([
      branch([105_000, 15_000, 8_000]),
      branch([12_000, 3_000, 1_000]),
      branch([95_000, 15_000]),
    ]);
    expect(ends).toEqual([128_000, 16_000, 110_000]);
    expect(clock.now()).toBe(128_000);
  });

  it('resolves timers due at the same instant in the order they were registered', async () => {
    const clock = new VirtualClock();
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => clock.sleep(50).then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('does not advance while promise continuations are still running', async () => {
    const clock = new VirtualClock();
    const long = clock.sleep(1_000);
    // A chain of microtasks that registers its sleep late must still start at time 0.
    let startedAt = -1;
    const late = (async () => {
      for (let i = 0; i < 1_000; i++) await Promise.resolve();
      startedAt = clock.now();
      await clock.sleep(10);
      return clock.now();
    })();
    expect(await late).toBe(10);
    expect(startedAt).toBe(0);
    await long;
    expect(clock.now()).toBe(1_000);
  });

  it('gives the same timeline on every run (repeatable)', async () => {
    const run = async () => {
      const clock = new VirtualClock();
      const log: string[] = [];
      const worker = async (name: string, ms: number[]) => {
        for (const m of ms) {
          await clock.sleep(m);
          log.push(`${name}@${clock.now()}`);
        }
      };
      await Promise.all([worker('x', [5, 5, 5]), worker('y', [7, 1]), worker('z', [10, 0])]);
      return log;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    // z's timer for 10 was registered at 0, before x's second one (at 5): it resolves first.
    expect(first).toEqual(['x@5', 'y@7', 'y@8', 'z@10', 'x@10', 'z@10', 'x@15']);
  });

  it('rejects an aborted sleep with the signal reason, and time does not wait for it', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const reason = new Error('sibling failed');
    const slow = clock.sleep(60_000, controller.signal);
    await clock.sleep(5);
    controller.abort(reason);
    await expect(slow).rejects.toBe(reason);
    expect(clock.now()).toBe(5);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects at once when the signal is already aborted; CancelledError when the reason is missing', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(clock.sleep(10, controller.signal)).rejects.toThrow('gone');
    const bare = {
      aborted: true,
      reason: undefined,
      addEventListener() {},
      removeEventListener() {},
    } as unknown as AbortSignal;
    await expect(clock.sleep(10, bare)).rejects.toBeInstanceOf(CancelledError);
  });

  it('a sleep of Infinity only ends by abort (a hang)', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const hang = clock.sleep(Number.POSITIVE_INFINITY, controller.signal);
    await clock.sleep(1_000);
    controller.abort(new Error('timeout'));
    await expect(hang).rejects.toThrow('timeout');
    expect(clock.now()).toBe(1_000);
  });

  it('holds time still while tracked real I/O is in flight', async () => {
    const clock = new VirtualClock();
    const timer = clock.sleep(500);
    const io = clock.track(new Promise<number>((resolve) => setTimeout(() => resolve(clock.now()), 20)));
    expect(await io).toBe(0);
    await timer;
    expect(clock.now()).toBe(500);
  });

  it('plays virtual time at realtimeFactor × wall time', async () => {
    const clock = new VirtualClock({ realtimeFactor: 1_000 });
    const started = performance.now();
    await clock.sleep(100_000); // 100 virtual seconds at 1000× ≈ 100 ms of wall time
    expect(clock.now()).toBe(100_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('rejects a realtimeFactor that is not a positive number', () => {
    expect(() => new VirtualClock({ realtimeFactor: 0 })).toThrow(/positive number/);
  });
});

describe('VirtualClock in realtime mode', () => {
  it('keeps the order and the virtual times of the fast mode', async () => {
    const clock = new VirtualClock({ realtimeFactor: 10_000 });
    const seen: string[] = [];
    await Promise.all([
      clock.sleep(200_000).then(() => seen.push(`b@${clock.now()}`)),
      (async () => {
        await clock.sleep(100_000);
        seen.push(`a@${clock.now()}`);
        await clock.sleep(150_000);
        seen.push(`c@${clock.now()}`);
      })(),
    ]);
    expect(seen).toEqual(['a@100000', 'b@200000', 'c@250000']);
  });
});
