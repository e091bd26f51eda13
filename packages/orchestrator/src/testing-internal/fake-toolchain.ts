/**
 * A small fake toolchain for the scheduler's unit tests: a virtual clock plus ports that only sleep on
 * it, record what they were asked, and fail/hang where a test says so. (Tests of whole setups use the
 * real simulator, `@kubernaut-e2e/sim`; this fake exists to control one behaviour at a time.)
 */
import { setImmediate as nextTurn } from 'node:timers';
import type { Toolchain } from '@kubernaut-e2e/core';
import { type Clock, CommandError, NotReadyError } from '@kubernaut-e2e/core';

export class TestClock implements Clock {
  #now = 0;
  #timers: { due: number; seq: number; resolve: () => void }[] = [];
  #seq = 0;
  #activity = 0;
  #looping = false;

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const timer = {
        due: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        this.#touch();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (ms !== Number.POSITIVE_INFINITY) {
        this.#timers.push(timer);
        this.#timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      }
      this.#touch();
    });
  }

  #touch(): void {
    this.#activity++;
    if (this.#looping || this.#timers.length === 0) return;
    this.#looping = true;
    this.#loop(-1);
  }

  #loop(seen: number): void {
    nextTurn(() => {
      if (this.#timers.length === 0) {
        this.#looping = false;
        return;
      }
      if (seen !== this.#activity) return this.#loop(this.#activity);
      this.#now = this.#timers[0]!.due;
      const due = this.#timers.filter((t) => t.due <= this.#now);
      this.#timers = this.#timers.filter((t) => t.due > this.#now);
      this.#activity++;
      for (const t of due) t.resolve();
      this.#loop(this.#activity);
    });
  }
}

export type Fault =
  | { readonly kind: 'fail'; readonly error?: Error }
  | { readonly kind: 'transient'; readonly times: number }
  | { readonly kind: 'hang' };

export interface FakeOptions {
  /** Build duration per `serviceName` (ms); 10 000 otherwise. */
  readonly buildMs?: Readonly<Record<string, number>>;
  readonly clusterMs?: number;
  readonly applyMs?: number;
  readonly rolloutMs?: number;
  readonly migrateMs?: number;
  readonly existingClusters?: readonly string[];
  /** Keyed by operation: `build:<service>`, `create`, `load`, `apply:<kind>/<name>`, `rollout:<ref>`, `migrate`, `delete`, `export-logs`. */
  readonly faults?: Readonly<Record<string, Fault>>;
}

export interface FakeToolchain extends Toolchain {
  readonly clock: TestClock;
  /** `<virtual ms> <operation>` for every call, in order. */
  readonly calls: string[];
  readonly clusters: Set<string>;
  /** Operations that were aborted through their signal. */
  readonly aborted: string[];
  readonly loads: (readonly string[])[];
  readonly closedForwards: number[];
}

export function createFakeToolchain(options: FakeOptions = {}): FakeToolchain {
  const clock = new TestClock();
  const calls: string[] = [];
  const aborted: string[] = [];
  const clusters = new Set(options.existingClusters ?? []);
  const loads: (readonly string[])[] = [];
  const closedForwards: number[] = [];
  const seen = new Map<string, number>();

  const work = async (op: string, ms: number, signal?: AbortSignal) => {
    calls.push(`${clock.now()} ${op}`);
    const fault = options.faults?.[op];
    const count = (seen.get(op) ?? 0) + 1;
    seen.set(op, count);
    try {
      if (fault?.kind === 'hang') await clock.sleep(Number.POSITIVE_INFINITY, signal);
      await clock.sleep(ms, signal);
    } catch (error) {
      aborted.push(op);
      throw error;
    }
    if (fault?.kind === 'fail') {
      throw (
        fault.error ??
        new CommandError({ argv: ['fake', op], exitCode: 1, timedOut: false, stderrTail: ['boom'] })
      );
    }
    if (fault?.kind === 'transient' && count <= fault.times) {
      throw new CommandError(
        { argv: ['fake', op], exitCode: 1, timedOut: false, stderrTail: ['connection reset'] },
        { transient: true },
      );
    }
  };

  return {
    clock,
    calls,
    clusters,
    aborted,
    loads,
    closedForwards,
    imageBuilder: {
      async build(config, ctx) {
        await work(
          `build:${config.serviceName}`,
          options.buildMs?.[config.serviceName] ?? 10_000,
          ctx?.signal,
        );
        return {
          ref: `localhost/${config.imageName}:fake`,
          id: `sha256:${config.serviceName}`,
          cached: false,
        };
      },
    },
    imageLoader: {
      async load(refs, clusterName, ctx) {
        if (!clusters.has(clusterName)) throw new Error(`cluster ${clusterName} does not exist`);
        await work('load', 10_000 + 5_000 * refs.length, ctx?.signal);
        loads.push(refs);
        return { loaded: refs, skipped: [] };
      },
      held: async () => [],
    },
    cluster: {
      name: 'fake',
      async create(request, ctx) {
        const reused = clusters.has(request.name) && request.ifExists === 'reuse';
        if (clusters.has(request.name) && !reused && request.ifExists !== 'recreate') {
          throw new Error(`cluster ${request.name} already exists`);
        }
        await work('create', reused ? 1_000 : (options.clusterMs ?? 12_000), ctx?.signal);
        clusters.add(request.name);
        return { name: request.name, kubeconfigPath: request.kubeconfigPath, reused };
      },
      async exists(name) {
        return clusters.has(name);
      },
      async delete(name, ctx) {
        await work('delete', 500, ctx?.signal);
        clusters.delete(name);
      },
      async kubeconfig(_name, path) {
        return path;
      },
      async loadArchive() {},
      async listNodeImages() {
        return [];
      },
      async exportLogs(_name, dir, ctx) {
        await work(`export-logs ${dir}`, 200, ctx?.signal);
      },
    },
    kube: () => ({
      async apply(objects, ctx) {
        const first = objects[0];
        await work(`apply:${first?.kind}/${first?.metadata.name}`, options.applyMs ?? 1_000, ctx?.signal);
      },
      async rolloutStatus(resource, _ns, timeoutMs, ctx) {
        const fault = options.faults?.[`rollout:${resource}`];
        if (fault?.kind === 'hang' && timeoutMs < Number.POSITIVE_INFINITY) {
          await clock.sleep(timeoutMs, ctx?.signal);
          throw new NotReadyError(resource, 'ErrImageNeverPull');
        }
        await work(`rollout:${resource}`, options.rolloutMs ?? 5_000, ctx?.signal);
      },
      async waitFor(resource, _condition, _ns, _timeout, ctx) {
        await work(`wait:${resource}`, 0, ctx?.signal);
      },
      async exec() {
        return '';
      },
      async portForward(_ns, target, _port, ctx) {
        await work(`port-forward:${target}`, 0, ctx?.signal);
        const localPort = 40_000 + closedForwards.length;
        return {
          localPort,
          close: async () => {
            closedForwards.push(localPort);
          },
        };
      },
      async patch() {},
      // Diagnostics and coverage read the cluster after a run; this fake holds no objects.
      async getJson() {
        return { apiVersion: 'v1', kind: 'List', items: [] };
      },
      async describe() {
        return '';
      },
      async logs() {
        return '';
      },
      async scale(resource, _ns, replicas, ctx) {
        await work(`scale:${resource}=${replicas}`, 0, ctx?.signal);
      },
      async waitDeleted(resource, _selection, _timeout, ctx) {
        await work(`wait-deleted:${resource}`, 0, ctx?.signal);
      },
    }),
    migrator: {
      async migrate(target, _dir, ctx) {
        await work(`migrate`, options.migrateMs ?? 4_000, ctx?.signal);
        return { applied: [`001_init.sql@${target.port}`], version: 1 };
      },
    },
    prober: {
      async waitUntilReady(probe, _options, ctx) {
        await work(
          `probe:${probe.kind === 'http' ? probe.url : `${probe.host}:${probe.port}`}`,
          0,
          ctx?.signal,
        );
      },
    },
  };
}
