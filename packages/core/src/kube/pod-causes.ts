import { normalizeImageRef } from '../validation/normalize-image-ref.js';
import type { ContainerStatusInfo, PodInfo } from './kube-status.js';

/*
 * What a pod's status says is wrong, in plain words: the sentences the diagnostics print for a failed run, and the
 * recognition of the states a pod cannot leave on its own, which end a rollout wait at once instead of at its
 * deadline. One implementation for both, so a run that fails fast says exactly what its diagnostics say.
 */

/** A `localhost/` image: only ever on the nodes because something loaded it; no registry serves it. */
const LOCAL_IMAGE = /^localhost[/:]/;

/** Waiting reasons of a container whose image the kubelet cannot get. */
export const IMAGE_PULL_REASONS: ReadonlySet<string> = new Set([
  'ErrImageNeverPull',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
]);

const OBJECT_NOT_FOUND = /^(configmap|secret) "([^"]+)" not found$/;
const ENV_KEY_MISSING = /^couldn't find key (.+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)$/;
const KIND = { configmap: 'ConfigMap', secret: 'Secret' } as const;

/** A container whose image the kubelet cannot get (`waiting.reason` is one of `IMAGE_PULL_REASONS`). */
export function imageCause(c: ContainerStatusInfo): string {
  const reason = c.waiting?.reason ?? 'ImagePullBackOff';
  if (reason === 'InvalidImageName')
    return `image ${c.image} of container ${c.name} is not a valid image reference (InvalidImageName); fix the reference the deployment names`;
  if (reason === 'ErrImageNeverPull')
    return `image ${c.image} of container ${c.name} was not loaded onto the cluster's nodes, and imagePullPolicy Never forbids pulling it (${reason}); load the image, or make the deployment use the tag that was built`;
  if (/^localhost[/:]/.test(c.image))
    return `image ${c.image} of container ${c.name} was not loaded onto the cluster's nodes, and the kubelet cannot pull a localhost image from any registry (${reason}); load the image before deploying`;
  return `the kubelet cannot pull image ${c.image} of container ${c.name} (${reason})`;
}

/** A container in `CrashLoopBackOff`: how often it restarted and how it last ended. */
export function crashCause(c: ContainerStatusInfo): string {
  const exit = c.lastTerminated?.exitCode;
  return `container ${c.name} keeps crashing (CrashLoopBackOff, ${c.restartCount} restart${c.restartCount === 1 ? '' : 's'}${exit === undefined ? '' : `, last exit code ${exit}`}); its last log lines say why`;
}

/** A container whose environment names a ConfigMap, Secret or key that does not exist (`CreateContainerConfigError`). */
export function containerConfigCause(pod: PodInfo, c: ContainerStatusInfo): string {
  const message = c.waiting?.message ?? '';
  const blocked = `container ${c.name} cannot start (CreateContainerConfigError)`;
  const notFound = OBJECT_NOT_FOUND.exec(message);
  const keyMissing = ENV_KEY_MISSING.exec(message);
  return notFound
    ? `${KIND[notFound[1] as keyof typeof KIND]} ${notFound[2]} not found: ${blocked} because its environment reads it; apply it in namespace ${pod.namespace} (the kubelet retries) or mark the reference optional`
    : keyMissing
      ? `${keyMissing[2]} ${keyMissing[4]} has no key ${keyMissing[1]}: ${blocked} because its environment reads that key; add the key or fix the reference`
      : `${blocked}: ${message || 'the kubelet gave no message'}`;
}

/** A container that exited with a non-zero code in a pod that never restarts it (`restartPolicy: Never`). */
export function exitedCause(pod: PodInfo, c: ContainerStatusInfo): string {
  const exit = c.terminated?.exitCode;
  return `container ${c.name} exited with code ${exit ?? 'unknown'}${c.terminated?.reason ? ` (${c.terminated.reason})` : ''} and pod ${pod.name} never restarts it (restartPolicy ${pod.restartPolicy}); its last log lines say why`;
}

/** When a state is certain to last: what the rollout wait decides from. */
export interface TerminalStatePolicy {
  /** A crash-looping container is given up on once it has restarted this many times. */
  readonly failAfterRestarts: number;
  /**
   * True for an image the run loaded onto the nodes itself: nothing will ever pull it from a registry, so a pull
   * back-off for it lasts (a pull back-off for another image may be a registry that is slow or briefly down).
   */
  readonly isOwnImage: (ref: string) => boolean;
}

/** A pod state that cannot change without someone changing what was applied. */
export interface TerminalPodState {
  readonly pod: string;
  readonly container: string;
  /** `ErrImageNeverPull`, `ImagePullBackOff`, `CrashLoopBackOff`, `CreateContainerConfigError`, `Error`, … */
  readonly reason: string;
  /** The recognised cause, as the diagnostics say it. */
  readonly cause: string;
  /** True when the container's last log lines tell why (a crash, an exit): worth reading before failing. */
  readonly logsExplain: boolean;
  /** Read the previous instance's log (a crash loop), not the current one (an exited container). */
  readonly previousLog: boolean;
}

function sameImage(a: string, b: string): boolean {
  const normal = (ref: string) => {
    try {
      return normalizeImageRef(ref);
    } catch {
      return ref;
    }
  };
  return normal(a) === normal(b);
}

/** `isOwnImage` for a list of references (compared normalised: `localhost/x:1` and `x:1` differ, `x` and `docker.io/library/x` do not). */
export function ownImages(refs: readonly string[]): (ref: string) => boolean {
  return (ref) => refs.some((own) => sameImage(own, ref));
}

/**
 * The first container of `pod` in a state it cannot leave on its own, or undefined: an image that is never pulled
 * (`ErrImageNeverPull`, `InvalidImageName`, a pull back-off for an image the run loaded itself or a `localhost/` one,
 * which no registry serves), an environment that
 * names what does not exist (`CreateContainerConfigError`), a crash loop that has restarted `failAfterRestarts`
 * times, a non-zero exit in a pod that never restarts. A pod being deleted is never terminal (an old pod of a
 * rollout). Everything else — `ContainerCreating`, a volume or PVC still waiting, a readiness probe not yet passing,
 * a pull back-off for an image from a registry — can still resolve, and is not.
 */
export function terminalPodState(pod: PodInfo, policy: TerminalStatePolicy): TerminalPodState | undefined {
  if (pod.terminating) return undefined;
  for (const c of pod.containers) {
    const reason = c.waiting?.reason;
    const state = (cause: string, why: string, logs?: 'previous' | 'current'): TerminalPodState => ({
      pod: pod.name,
      container: c.name,
      reason: why,
      cause,
      logsExplain: logs !== undefined,
      previousLog: logs === 'previous',
    });
    if (reason === 'ErrImageNeverPull' || reason === 'InvalidImageName') return state(imageCause(c), reason);
    const unpullable = policy.isOwnImage(c.image) || LOCAL_IMAGE.test(c.image);
    if ((reason === 'ImagePullBackOff' || reason === 'ErrImagePull') && unpullable)
      return state(imageCause(c), reason);
    if (reason === 'CreateContainerConfigError') return state(containerConfigCause(pod, c), reason);
    if (reason === 'CrashLoopBackOff' && c.restartCount >= policy.failAfterRestarts)
      return state(crashCause(c), reason, 'previous');
    const exit = c.terminated?.exitCode;
    if (pod.restartPolicy === 'Never' && exit !== undefined && exit !== 0)
      return state(exitedCause(pod, c), c.terminated?.reason ?? 'Error', 'current');
  }
  return undefined;
}
