import type { KubeObject } from '@kubernaut-e2e/core';
import type { PortMapping } from './kind-config.js';

/**
 * Why the pods of a Deployment cannot run, at the step where Kubernetes stops them, with the message
 * the component that stops them emits:
 * - `create`: the API server refuses the ReplicaSet's pods (admission), so none exists — the
 *   replicaset-controller records `FailedCreate` on the ReplicaSet;
 * - `mount`: the kubelet cannot set up volumes, the pod stays `ContainerCreating` with `FailedMount`;
 * - `image`: the image is not on the node and cannot be pulled;
 * - `config`: the container's configuration (its env) cannot be made: `CreateContainerConfigError`;
 * - `probe`: the container runs but the kubelet cannot run its startup or readiness probe, so it never
 *   becomes ready.
 * `create`, `mount` and `config` clear when the missing object is applied (the controllers and the
 * kubelet retry); `image` and `probe` need a new spec (or, for `image`, a re-apply after the load).
 */
export type PodBlock =
  | { readonly stage: 'create'; readonly message: string }
  | {
      readonly stage: 'mount';
      readonly failures: readonly { readonly volume: string; readonly message: string }[];
    }
  | { readonly stage: 'image'; readonly container: string; readonly message: string }
  | { readonly stage: 'config'; readonly container: string; readonly message: string }
  | {
      readonly stage: 'probe';
      readonly container: string;
      readonly probe: 'Startup' | 'Readiness';
      readonly message: string;
    };

/** The one-line reason of a block, as `describeDeployment` and timeouts show it. */
export function blockReason(block: PodBlock): string {
  switch (block.stage) {
    case 'create':
      return `FailedCreate: ${block.message}`;
    case 'mount':
      return block.failures
        .map((f) => `FailedMount: MountVolume.SetUp failed for volume "${f.volume}" : ${f.message}`)
        .join('; ');
    case 'image':
      return block.message;
    case 'config':
      return `CreateContainerConfigError: ${block.message}`;
    case 'probe':
      return `${block.probe} probe errored and resulted in unknown state: ${block.message}`;
  }
}

/** The state of one Deployment as the simulated API server and kubelet see it. */
export interface SimDeployment {
  readonly namespace: string;
  readonly name: string;
  /** Container images (init containers included), as written in the pod template. */
  readonly images: readonly string[];
  readonly podLabels: Readonly<Record<string, string>>;
  readonly containerPorts: readonly number[];
  /** Literal `env` values of every container (`valueFrom` entries are left out). */
  readonly env: Readonly<Record<string, string>>;
  /** Canonical JSON of the spec: an unchanged re-apply starts no new rollout. */
  readonly specKey: string;
  readonly appliedAt: number;
  /** Virtual time the rollout completes; `undefined` while it can never complete. */
  readonly readyAt: number | undefined;
  /** Why the rollout cannot complete (kubelet's message), when `readyAt` is `undefined`. */
  readonly blockedReason: string | undefined;
  /** What stops its pods, when something in the spec or the cluster does (not a fault-plan fault). */
  readonly block?: PodBlock;
  /**
   * A container fault from the fault plan (`op: 'container'`): its pods crash-loop (`crash`, the
   * message is their last log line) or run but never pass their readiness probe (`unready`).
   */
  readonly fault?: { readonly kind: 'crash' | 'unready'; readonly message?: string };
  /** After a scale to 0: until when the old pods are still terminating, and how many there were. */
  readonly terminatingUntil?: number;
  readonly previousReplicas?: number;
}

export function isDeploymentReady(deployment: SimDeployment, now: number): boolean {
  return deployment.readyAt !== undefined && deployment.readyAt <= now;
}

/** What a deployment looks like right now, for error messages ("last seen: …"). */
export function describeDeployment(deployment: SimDeployment, now: number): string {
  const id = `deployment/${deployment.name}`;
  if (deployment.readyAt === undefined)
    return `${id}: 0 of 1 updated replicas available (${deployment.blockedReason})`;
  if (deployment.readyAt <= now) return `${id}: successfully rolled out`;
  return `${id}: waiting for rollout to finish: 0 of 1 updated replicas are available (ready in ${deployment.readyAt - now} ms)`;
}

/** One simulated kind cluster: its nodes' images, its API objects and its published ports. */
export class SimCluster {
  /** Images present on every node, normalised as containerd lists them. */
  readonly nodeImages = new Set<string>();
  /** Every applied object by `objectKey(kind, namespace, name)`. */
  readonly objects = new Map<string, KubeObject>();
  /** Deployments by `namespace/name`. */
  readonly deployments = new Map<string, SimDeployment>();
  /** Directories `exportLogs` was asked to write (nothing is written). */
  readonly logExports: string[] = [];
  /**
   * The registry the nodes pull from (registry mode: the world's, which holds every pushed ref). A pushed image
   * is pullable by name; pull time is not modelled.
   */
  registry: ReadonlySet<string> | undefined;

  constructor(
    readonly name: string,
    public kubeconfigPath: string,
    /** `extraPortMappings` of its nodes; `undefined` for a pre-existing cluster whose config is unknown. */
    public portMappings: readonly PortMapping[] | undefined,
    readonly createdAt: number,
    /**
     * The cluster was left by an earlier run of the same setup (a pre-existing cluster from the
     * toolchain's `existingClusters`): it already holds the images of cached builds, and a Deployment
     * applied to it for the first time is the one that earlier run left running, so it is ready at once
     * when its images can run.
     */
    readonly leftByEarlierRun = false,
  ) {}

  deployment(namespace: string, name: string): SimDeployment | undefined {
    return this.deployments.get(`${namespace}/${name}`);
  }

  objectsOfKind(kind: string): KubeObject[] {
    const prefix = `${kind.toLowerCase()}/`;
    return [...this.objects.entries()].filter(([key]) => key.startsWith(prefix)).map(([, o]) => o);
  }
}
