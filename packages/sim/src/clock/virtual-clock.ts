import { setImmediate as scheduleTurn } from 'node:timers';
import type { Clock } from '@kubernaut-e2e/core';
import { CancelledError } from '@kubernaut-e2e/core';

export interface VirtualClockOptions {
  /**
   * Scale virtual time to wall time: `20` plays 20 virtual seconds per real second (for a live demo).
   * Omitted (the default): time jumps to the next timer as soon as the process is idle, so a whole
   * simulated run takes milliseconds of wall time.
   */
  readonly realtimeFactor?: number;
  /**
   * How many consecutive event-loop turns without clock activity count as "idle" before time advances.
   * One turn already drains every promise continuation; the default of 2 leaves a margin for code that
   * hops through `setImmediate` itself.
   */
  readonly quietTurns?: number;
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly detach: () => void;
}

/**
 * A `Clock` whose time is virtual: `now()` starts at 0 and only moves when every piece of work in the
 * process is waiting on one of its sleeps. Time then jumps to the earliest pending timer, all timers due
 * at that instant resolve in the order they were registered, and their continuations run before time may
 * move again. Parallel sleeps therefore overlap exactly and a run's makespan is exact and repeatable.
 *
 * Idle is detected from a `setImmediate` loop: a turn in which no sleep was registered, fired or aborted
 * means every promise continuation has settled (microtasks drain before the next macrotask). Real I/O
 * (files, sockets) is invisible to that check; wrap it in `track()` or `hold()` so time does not move
 * while it is in flight.
 */
export class VirtualClock implements Clock {
  readonly realtimeFactor: number | undefined;
  readonly #quietTurns: number;
  #now = 0;
  #seq = 0;
  #activity = 0;
  #holds = 0;
  #timers: Timer[] = [];
  #looping = false;
  #wallWait: NodeJS.Timeout | undefined;
  /** Wall time (ms) at which virtual time last moved, or at which timers became pending again. */
  #wallAtNow = 0;

  constructor(options: VirtualClockOptions = {}) {
    const factor = options.realtimeFactor;
    if (factor !== undefined && !(Number.isFinite(factor) && factor > 0)) {
      throw new RangeError(`realtimeFactor must be a positive number (e.g. 20), got ${String(factor)}`);
    }
    this.realtimeFactor = factor;
    this.#quietTurns = Math.max(1, Math.floor(options.quietTurns ?? 2));
  }

  /** Virtual milliseconds since the clock was made. */
  now(): number {
    return this.#now;
  }

  /** Number of sleeps still waiting (useful in tests and to detect a run that can never finish). */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Resolves when virtual time reaches `now() + ms`. A negative or NaN `ms` counts as 0; `Infinity`
   * never resolves (only an abort ends it). Aborting rejects with the signal's reason, or a
   * `CancelledError` when it has none.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const delay = Number.isNaN(ms) || ms < 0 ? 0 : ms;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#remove(timer);
        this.#touch();
        reject(abortReason(signal!));
      };
      const timer: Timer = {
        due: this.#now + delay,
        seq: this.#seq++,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (delay !== Number.POSITIVE_INFINITY) {
        if (this.#timers.length === 0) this.#wallAtNow = performance.now();
        this.#insert(timer);
      }
      this.#touch();
    });
  }

  /**
   * Keeps time still until the returned function is called (idempotent). Use around real I/O that
   * happens in the middle of a simulated run.
   */
  hold(): () => void {
    this.#holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      this.#touch();
    };
  }

  /** Keeps time still while `work` is pending, then passes its result through. */
  async track<T>(work: Promise<T>): Promise<T> {
    const release = this.hold();
    try {
      return await work;
    } finally {
      release();
    }
  }

  #insert(timer: Timer): void {
    // Sorted by (due, seq); new timers usually go at or near the end.
    let i = this.#timers.length;
    while (i > 0) {
      const prev = this.#timers[i - 1]!;
      if (prev.due < timer.due || (prev.due === timer.due && prev.seq < timer.seq)) break;
      i--;
    }
    this.#timers.splice(i, 0, timer);
  }

  #remove(timer: Timer): void {
    const i = this.#timers.indexOf(timer);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  /** Records activity and makes sure the advance loop runs while timers are pending. */
  #touch(): void {
    this.#activity++;
    if (this.#wallWait !== undefined) {
      // Something happened while waiting out wall time: re-evaluate (a nearer timer may exist now).
      clearTimeout(this.#wallWait);
      this.#wallWait = undefined;
      this.#looping = false;
    }
    if (!this.#looping && this.#timers.length > 0 && this.#holds === 0) {
      this.#looping = true;
      this.#loop(-1, 0);
    }
  }

  #loop(seenActivity: number, quiet: number): void {
    scheduleTurn(() => {
      if (this.#timers.length === 0 || this.#holds > 0) {
        // Nothing to advance to, or held: `#touch()` restarts the loop when that changes.
        this.#looping = false;
        return;
      }
      if (this.#activity !== seenActivity) {
        this.#loop(this.#activity, 0);
        return;
      }
      if (quiet + 1 < this.#quietTurns) {
        this.#loop(seenActivity, quiet + 1);
        return;
      }
      const next = this.#timers[0]!;
      if (this.realtimeFactor !== undefined && next.due > this.#now) {
        // Wall time already spent since time last moved counts, so activity that restarts this wait
        // (a new sleep) does not hold the demo back.
        const wallMs = (next.due - this.#now) / this.realtimeFactor - (performance.now() - this.#wallAtNow);
        if (wallMs > 0) {
          this.#wallWait = setTimeout(() => {
            this.#wallWait = undefined;
            this.#fireDue();
          }, wallMs);
          return;
        }
      }
      this.#fireDue();
    });
  }

  /** Moves time to the earliest timer and resolves every timer due then, in registration order. */
  #fireDue(): void {
    const first = this.#timers[0];
    if (first === undefined) {
      this.#looping = false;
      return;
    }
    this.#now = Math.max(this.#now, first.due);
    this.#wallAtNow = performance.now();
    const due: Timer[] = [];
    while (this.#timers.length > 0 && this.#timers[0]!.due <= this.#now) due.push(this.#timers.shift()!);
    this.#activity++;
    for (const timer of due) {
      timer.detach();
      timer.resolve();
    }
    this.#loop(this.#activity, 0);
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new CancelledError();
}
