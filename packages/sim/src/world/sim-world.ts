import type { LogSink, OperationContext } from '@kubernaut-e2e/core';
import { CancelledError } from '@kubernaut-e2e/core';
import type { VirtualClock } from '../clock/virtual-clock.js';
import { FaultInjector, type FaultPlan, type SimOperation } from '../faults/fault-plan.js';
import { SimulatedFaultError } from '../faults/simulated-fault-error.js';
import type { TimingProfile } from '../profile/timing-profile.js';
import type { SimCluster } from './sim-cluster.js';

/** An image held by the simulated container engine. */
export interface SimImage {
  readonly id: string;
  readonly refs: Set<string>;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly seq: number;
}

/** A virtual `docker-archive` written by `engine.save` (nothing is written to disk). */
export interface SimArchive {
  readonly path: string;
  readonly refs: readonly string[];
}

/** A `kubectl port-forward` the simulated kube client opened: `localhost:localPort` reaches the pod. */
export interface SimPortForward {
  readonly localPort: number;
  readonly cluster: string;
  readonly namespace: string;
  readonly deployment: string;
  /** Port inside the pod the forward reaches. */
  readonly containerPort: number;
}

/** One line of the simulator's own log of what happened, in virtual time. */
export interface SimEvent {
  readonly at: number;
  readonly op: SimOperation;
  readonly subject: string;
  readonly phase: 'start' | 'end' | 'error';
  readonly detail?: string;
}

/** How a call would look on the command line, for logs and for the errors of injected faults. */
export interface SimCommand {
  readonly argv: readonly string[];
  /** The tool's error output when a fault makes the call fail. */
  readonly failure: readonly string[];
  /** The tool's error output for a transient fault (a network hiccup, a busy daemon). */
  readonly transientFailure: readonly string[];
}

/**
 * The shared state behind every simulated port: the engine's images and archives, the clusters with
 * their node images and API objects, the open port-forwards, the build cache and the event log.
 * Inspect it in tests; mutate it only through the ports.
 */
export class SimWorld {
  readonly images = new Map<string, SimImage>();
  readonly archives = new Map<string, SimArchive>();
  readonly clusters = new Map<string, SimCluster>();
  /** kubeconfig path → cluster name. */
  readonly kubeconfigs = new Map<string, string>();
  readonly portForwards = new Map<number, SimPortForward>();
  /** Hashes of build configurations the engine's layer cache has seen. */
  readonly buildCache = new Set<string>();
  /** Refs pushed to the (simulated) registry. */
  readonly registry = new Set<string>();
  readonly events: SimEvent[] = [];
  /** `cp` calls on node containers (`engine.copyFromContainer`); the simulator writes no files. */
  readonly copies: { readonly container: string; readonly srcPath: string; readonly destDir: string }[] = [];
  readonly faults: FaultInjector;
  /** Every build counts as cached (`cachedImages: 'all'`). */
  readonly warmCache: boolean;
  #imageSeq = 0;
  #archiveSeq = 0;
  #nextLocalPort = 40_000;

  constructor(
    readonly clock: VirtualClock,
    readonly profile: TimingProfile,
    options: { readonly faults?: FaultPlan; readonly warmCache?: boolean } = {},
  ) {
    this.faults = new FaultInjector([...(options.faults ?? []), ...(profile.faults ?? [])]);
    this.warmCache = options.warmCache ?? false;
  }

  now(): number {
    return this.clock.now();
  }

  imageByRef(ref: string): SimImage | undefined {
    for (const image of this.images.values()) if (image.refs.has(ref)) return image;
    return undefined;
  }

  /** Adds an image (or a new name for an existing one) to the engine. */
  storeImage(ref: string, labels: Readonly<Record<string, string>>): SimImage {
    const existing = this.imageByRef(ref);
    if (existing) existing.refs.delete(ref); // the name moves to the new image, as with `podman build -t`
    if (existing && existing.refs.size === 0) this.images.delete(existing.id);
    const seq = this.#imageSeq++;
    const id = `sha256:${seq.toString(16).padStart(8, '0')}${'0'.repeat(56)}`;
    const image: SimImage = { id, refs: new Set([ref]), labels, createdAt: this.now(), seq };
    this.images.set(id, image);
    return image;
  }

  newArchivePath(cluster: string): string {
    return `/sim/archives/${cluster}-${++this.#archiveSeq}.tar`;
  }

  /** A local port for a port-forward that no cluster publishes. */
  allocateLocalPort(): number {
    const taken = new Set<number>();
    for (const cluster of this.clusters.values())
      for (const m of cluster.portMappings ?? []) taken.add(m.hostPort);
    while (taken.has(this.#nextLocalPort) || this.portForwards.has(this.#nextLocalPort))
      this.#nextLocalPort++;
    return this.#nextLocalPort++;
  }

  /** Removes a cluster with everything on it: node images, objects, port-forwards. */
  dropCluster(name: string): void {
    this.clusters.delete(name);
    for (const [path, owner] of this.kubeconfigs) if (owner === name) this.kubeconfigs.delete(path);
    for (const [port, pf] of this.portForwards) if (pf.cluster === name) this.portForwards.delete(port);
  }

  /**
   * Runs one simulated operation: checks cancellation, records start and end in `events`, logs the
   * equivalent command, and applies the fault plan (fail, transient failure or hang) before `body` runs.
   */
  async operate<T>(
    op: SimOperation,
    subjects: readonly string[],
    command: SimCommand,
    ctx: OperationContext | undefined,
    body: () => Promise<T>,
  ): Promise<T> {
    const signal = ctx?.signal;
    if (signal?.aborted) throw signal.reason ?? new CancelledError();
    const subject = subjects[0] ?? op;
    this.#record(op, subject, 'start');
    log(ctx?.log, ctx?.logSource, this.now(), `[sim] ${command.argv.join(' ')}`);
    try {
      const fault = this.faults.next(op, subjects);
      if (fault) {
        if (fault.rule.afterMs) await this.clock.sleep(fault.rule.afterMs, signal);
        if (fault.kind === 'hang') await this.clock.sleep(Number.POSITIVE_INFINITY, signal);
        else
          throw new SimulatedFaultError(
            command.argv,
            fault.transient ? command.transientFailure : command.failure,
            fault.rule,
            fault.transient,
          );
      }
      const result = await body();
      this.#record(op, subject, 'end');
      return result;
    } catch (error) {
      this.#record(op, subject, 'error', error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** Sleeps on the virtual clock, honouring the operation's signal. */
  sleep(ms: number, ctx: OperationContext | undefined): Promise<void> {
    return this.clock.sleep(ms, ctx?.signal);
  }

  #record(op: SimOperation, subject: string, phase: SimEvent['phase'], detail?: string): void {
    this.events.push(
      detail === undefined
        ? { at: this.now(), op, subject, phase }
        : { at: this.now(), op, subject, phase, detail },
    );
  }
}

function log(sink: LogSink | undefined, source: string | undefined, at: number, text: string): void {
  sink?.({ source: source ?? 'sim', stream: 'info', text, at });
}
