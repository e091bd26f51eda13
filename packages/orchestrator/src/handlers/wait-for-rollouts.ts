import type { Clock, KubeClient, OperationContext, ResourceRef } from '@kubernaut-e2e/core';
import { PodFailedError } from '@kubernaut-e2e/core';
import {
  type ContainerStatusInfo,
  ownImages,
  type PodInfo,
  parsePodList,
  type TerminalPodState,
  terminalPodState,
} from '@kubernaut-e2e/core/internal';

/** How long a rollout may take when its component names no `rolloutTimeoutMs`. */
export const DEFAULT_ROLLOUT_TIMEOUT_MS = 300_000;
/** Restarts after which a crash-looping container is given up on, unless the component or config says otherwise. */
export const DEFAULT_FAIL_AFTER_RESTARTS = 2;
/** How often the wait reads pod status: one `kubectl get pods` per rollout per poll. */
export const DEFAULT_POD_POLL_MS = 2_000;
/** Log lines quoted in the failure: enough for the fatal message, as the diagnostics show. */
const LOG_LINES = 5;

/** How the rollout wait watches the pods while it waits. */
export interface RolloutWatch {
  /** The clock the polls run on (the toolchain's: virtual in the simulator). */
  readonly clock: Clock;
  /** A crash-looping container is given up on once it restarted this many times (default 2). */
  readonly failAfterRestarts?: number;
  /** Images the run loaded onto the nodes itself: a pull back-off for one of them never resolves. */
  readonly ownImages?: readonly string[];
  /** Between two reads of pod status (default 2 000 ms). */
  readonly pollMs?: number;
  /** `false`: wait for the deadline only, whatever the pods do (the behaviour before fail-fast; a baseline). */
  readonly enabled?: boolean;
}

/** A rollout's pods: the selector of its pod template and what the template runs (to tell its pods from old ones). */
interface WatchedRollout {
  readonly resource: ResourceRef;
  readonly labelSelector: string;
  readonly images: ReadonlyMap<string, string>;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/** The selector and template images of `kubectl get <resource> -o json`; undefined when it selects by expressions. */
function watchedRollout(resource: ResourceRef, object: unknown): WatchedRollout | undefined {
  const spec = obj(obj(object).spec);
  const matchLabels = Object.entries(obj(obj(spec.selector).matchLabels));
  if (matchLabels.length === 0 || obj(spec.selector).matchExpressions !== undefined) return undefined;
  const podSpec = obj(obj(spec.template).spec);
  const containers = [
    ...(Array.isArray(podSpec.initContainers) ? podSpec.initContainers : []),
    ...(Array.isArray(podSpec.containers) ? podSpec.containers : []),
  ].map(obj);
  return {
    resource,
    labelSelector: matchLabels.map(([k, v]) => `${k}=${String(v)}`).join(','),
    images: new Map(containers.map((c) => [String(c.name), String(c.image)])),
  };
}

/** A pod of the template being rolled out (an old ReplicaSet's pods run other images and are on their way out). */
function ofTemplate(pod: PodInfo, rollout: WatchedRollout): boolean {
  const matches = (c: ContainerStatusInfo) => rollout.images.get(c.name) === c.image;
  return !pod.terminating && pod.containers.every(matches);
}

async function lastLogLines(
  kube: KubeClient,
  namespace: string,
  state: TerminalPodState,
  ctx: OperationContext,
): Promise<string[]> {
  if (!state.logsExplain) return [];
  try {
    const log = await kube.logs(
      namespace,
      state.pod,
      { container: state.container, previous: state.previousLog, tailLines: LOG_LINES },
      ctx,
    );
    return log
      .split('\n')
      .map((l) => l.trimEnd())
      .filter(Boolean)
      .slice(-LOG_LINES);
  } catch {
    return []; // the cause is known without them; a log that cannot be read must not hide it
  }
}

/**
 * Reads the pods of `resources` every `pollMs` until one of them is in a state it cannot leave on its own; returns
 * that failure, or undefined once `signal` aborts (the rollouts finished or failed). Reads that fail are tried again
 * at the next poll: the rollout wait, not this watch, decides when waiting is over.
 */
async function watchPods(
  kube: KubeClient,
  resources: readonly ResourceRef[],
  namespace: string,
  watch: RolloutWatch,
  ctx: OperationContext & { readonly signal: AbortSignal },
): Promise<PodFailedError | undefined> {
  const policy = {
    failAfterRestarts: watch.failAfterRestarts ?? DEFAULT_FAIL_AFTER_RESTARTS,
    isOwnImage: ownImages(watch.ownImages ?? []),
  };
  const watched = new Map<ResourceRef, WatchedRollout | null>();
  const read = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      return undefined;
    }
  };
  try {
    for (;;) {
      for (const resource of resources) {
        if (!watched.has(resource)) {
          const object = await read(() => kube.getJson(resource, { namespace }, ctx));
          if (object !== undefined) watched.set(resource, watchedRollout(resource, object) ?? null);
        }
        const rollout = watched.get(resource);
        if (!rollout) continue;
        const pods = await read(() =>
          kube.getJson('pods', { namespace, labelSelector: rollout.labelSelector }, ctx),
        );
        for (const pod of parsePodList(pods).filter((p) => ofTemplate(p, rollout))) {
          const state = terminalPodState(pod, policy);
          if (!state) continue;
          const lines = await lastLogLines(kube, namespace, state, ctx);
          return new PodFailedError(
            `${resource} in namespace ${namespace}`,
            state.pod,
            state.container,
            state.reason,
            state.cause,
            lines,
          );
        }
      }
      await watch.clock.sleep(watch.pollMs ?? DEFAULT_POD_POLL_MS, ctx.signal);
    }
  } catch (error) {
    if (ctx.signal.aborted) return undefined;
    throw error;
  }
}

/**
 * The one rollout wait: every rollout of a component at once (the time of the slowest, not the sum). The first one
 * that fails fails the wait with its own error (`NotReadyError` with kubectl's last lines, or the `CommandError`)
 * at once; the caller's cancellation (the scheduler's fail-fast signal in `ctx`) stops the others. The wait-ready
 * step and the dev loop's roll both wait with it.
 *
 * While it waits it reads the pods' status (`kubectl get pods -l <the template's selector>`), and fails with a
 * `PodFailedError` — the recognised cause and the container's last log lines — the moment a pod of the template is
 * in a state it cannot leave on its own (`terminalPodState`: an image never pulled, a missing config key, a crash
 * loop past `failAfterRestarts`, a non-zero exit that is never restarted), instead of at the deadline. States that
 * can still resolve keep it waiting until the deadline.
 */
export async function waitForRollouts(
  kube: KubeClient,
  resources: readonly ResourceRef[],
  namespace: string,
  timeoutMs: number,
  ctx: OperationContext | undefined,
  watch: RolloutWatch,
): Promise<void> {
  const done = new AbortController();
  const signal = ctx?.signal ? AbortSignal.any([ctx.signal, done.signal]) : done.signal;
  const scoped = { ...ctx, signal };
  const rollouts = Promise.all(
    resources.map((resource) => kube.rolloutStatus(resource, namespace, timeoutMs, scoped)),
  );
  if (watch.enabled === false || resources.length === 0) {
    await rollouts;
    return;
  }
  const watching = watchPods(kube, resources, namespace, watch, scoped);
  try {
    const failure = await Promise.race([rollouts.then(() => undefined), watching]);
    if (failure) {
      rollouts.catch(() => {}); // aborted below: its CancelledError is not the failure
      throw failure;
    }
  } finally {
    done.abort();
    watching.catch(() => {});
  }
}
