import type { Clock } from '@kubernaut-e2e/core';
import { type CycleTarget, runDevCycle } from './dev-cycle.js';
import type { DevCycleReport, DevLoopEvent } from './types.js';
import type { WatchedImage } from './watched-image.js';

/** Changed paths a report lists; a `git checkout` can touch thousands. */
const MAX_PATHS = 20;

interface Pending {
  /** Clock time of the first edit; `undefined` while setup runs (there is no clock to read yet). */
  firstEditAt: number | undefined;
  readonly paths: Set<string>;
}

export interface SchedulerOptions {
  readonly images: readonly WatchedImage[];
  /** Image id → the content hash of what the cluster runs (hashed before setup built it). */
  readonly hashes: Map<string, string>;
  readonly debounceMs: number;
  readonly emit: (event: DevLoopEvent) => void;
}

/**
 * Decides when cycles run: edits mark the images that read the changed file dirty; once no edit came for
 * `debounceMs`, one cycle takes every dirty image that no cycle is working on. An image in a running cycle stays
 * dirty and gets the next cycle as soon as its current one ends, so two cycles never work on the same image at
 * once, while edits to other images do not wait. Time is the toolchain's clock (virtual on the simulator).
 */
export class DevScheduler {
  readonly cycles: DevCycleReport[] = [];
  readonly #dirty = new Map<string, Pending>();
  readonly #busy = new Set<string>();
  readonly #running = new Set<Promise<void>>();
  readonly #stop = new AbortController();
  #idleWaiters: (() => void)[] = [];
  #target: CycleTarget | undefined;
  #clock: Clock | undefined;
  #lastChangeAt = 0;
  #settling: Promise<void> | undefined;
  #cycleCount = 0;

  constructor(private readonly options: SchedulerOptions) {}

  /** Setup is done: edits made meanwhile count from now, and cycles may run. */
  start(target: CycleTarget): void {
    this.#target = target;
    this.#clock = target.toolchain.clock;
    const now = this.#clock.now();
    for (const pending of this.#dirty.values()) pending.firstEditAt ??= now;
    if (this.#dirty.size > 0) this.#debounce(now);
  }

  /** A watcher saw `path` (absolute) change. */
  changed(path: string): void {
    if (this.#stop.signal.aborted) return;
    const affected = this.options.images.filter((image) => image.reads(path));
    if (affected.length === 0) return;
    const now = this.#clock?.now();
    for (const image of affected) {
      let pending = this.#dirty.get(image.id);
      if (!pending) {
        pending = { firstEditAt: now, paths: new Set() };
        this.#dirty.set(image.id, pending);
      }
      if (pending.paths.size < MAX_PATHS) pending.paths.add(image.display(path));
    }
    if (now !== undefined) this.#debounce(now);
  }

  /** Resolves once nothing is waiting, settling or running. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Cancels the debounce and any running cycle, and waits for them to end. */
  async stop(): Promise<void> {
    this.#stop.abort(new Error('the dev loop was stopped'));
    while (this.#running.size > 0 || this.#settling) {
      await Promise.all([...this.#running, this.#settling]);
    }
    this.#wakeIdle();
  }

  #debounce(now: number): void {
    this.#lastChangeAt = now;
    if (this.#settling) return;
    const settling = this.#quiet().then((quiet) => {
      this.#settling = undefined;
      if (quiet) this.#flush();
      else this.#wakeIdle();
    });
    this.#settling = settling;
  }

  /** Sleeps until `debounceMs` passed without an edit; false when the loop stopped meanwhile. */
  async #quiet(): Promise<boolean> {
    const clock = this.#clock!;
    try {
      for (;;) {
        const wait = this.#lastChangeAt + this.options.debounceMs - clock.now();
        if (wait <= 0) return true;
        await clock.sleep(wait, this.#stop.signal);
      }
    } catch {
      return false;
    }
  }

  /** Starts one cycle over every dirty image no cycle is working on. */
  #flush(): void {
    if (this.#stop.signal.aborted || !this.#target) return;
    const taken = [...this.#dirty.entries()].filter(([id]) => !this.#busy.has(id));
    if (taken.length === 0) {
      this.#wakeIdle();
      return;
    }
    for (const [id] of taken) {
      this.#dirty.delete(id);
      this.#busy.add(id);
    }
    const run = this.#cycle(taken).finally(() => {
      for (const [id] of taken) this.#busy.delete(id);
      this.#running.delete(run);
      // Edits that arrived while this cycle ran, to its images: their cycle starts now (unless still settling).
      if (!this.#settling) this.#flush();
      this.#wakeIdle();
    });
    this.#running.add(run);
  }

  async #cycle(taken: readonly [string, Pending][]): Promise<void> {
    const target = this.#target!;
    const clock = this.#clock!;
    const takenAt = clock.now();
    const firstEditAt = Math.min(...taken.map(([, p]) => p.firstEditAt ?? takenAt));
    const changedPaths = [...new Set(taken.flatMap(([, p]) => [...p.paths]))].slice(0, MAX_PATHS);
    const images = taken.map(([id]) => this.options.images.find((i) => i.id === id)!);

    let rebuild: { image: WatchedImage; hash: string }[];
    let hashError: unknown;
    // Hashing reads real files: a simulated clock must not move meanwhile.
    const release = holdClock(clock);
    try {
      const hashed = await Promise.all(images.map(async (image) => ({ image, hash: await image.hash() })));
      rebuild = hashed.filter(({ image, hash }) => this.options.hashes.get(image.id) !== hash);
    } catch (error) {
      rebuild = images.map((image) => ({ image, hash: '' }));
      hashError = error;
    } finally {
      release();
    }
    const hashedAt = clock.now();
    if (this.#stop.signal.aborted) return;
    if (rebuild.length === 0) {
      this.options.emit({ type: 'unchanged', changedPaths, at: hashedAt });
      return;
    }

    const cycle = ++this.#cycleCount;
    const ids = rebuild.map((r) => r.image.id);
    this.options.emit({ type: 'cycle-started', cycle, images: ids, changedPaths, at: hashedAt });
    const phasesMs = { wait: takenAt - firstEditAt, hash: hashedAt - takenAt };
    const report: DevCycleReport =
      hashError === undefined
        ? await runDevCycle(
            { cycle, rebuild, changedPaths, firstEditAt, phasesMs, signal: this.#stop.signal },
            target,
          )
        : {
            cycle,
            images: ids,
            changedPaths,
            outcome: 'failed',
            refs: {},
            rolled: [],
            firstEditAt,
            finishedAt: hashedAt,
            phasesMs,
            error: {
              ...((hashError as { code?: unknown }).code === undefined
                ? {}
                : { code: String((hashError as { code: unknown }).code) }),
              message: `step dev:hash failed: ${hashError instanceof Error ? hashError.message : String(hashError)}`,
              phase: 'hash',
            },
          };
    // Only a cycle that got its images running moves the baseline: after a failure, the next save retries.
    if (report.outcome === 'ready')
      for (const { image, hash } of rebuild) this.options.hashes.set(image.id, hash);
    this.cycles.push(report);
    this.options.emit({ type: 'cycle-finished', report });
  }

  #isIdle(): boolean {
    if (this.#stop.signal.aborted) return true;
    return (
      this.#target !== undefined && !this.#settling && this.#running.size === 0 && this.#dirty.size === 0
    );
  }

  #wakeIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * Keeps a simulated (virtual) clock still while real I/O runs; the real clock has nothing to hold. The `Clock` port
 * has no such method: only the simulator's clock moves by itself when the process looks idle.
 */
function holdClock(clock: Clock): () => void {
  const hold = (clock as { hold?: () => () => void }).hold;
  return typeof hold === 'function' ? hold.call(clock) : () => {};
}
