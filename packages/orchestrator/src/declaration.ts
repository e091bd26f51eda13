import type {
  DatabaseTarget,
  ExistingClusterPolicy,
  ImageBuildConfig,
  KubeClient,
  KubeObject,
  OperationContext,
  Probe,
  ReadinessOptions,
  ResourceRef,
} from '@kubernaut-e2e/core';

/**
 * Everything a service's end-to-end setup needs, as data: which images to build, which cluster,
 * CRDs and namespace, and which components to deploy in what dependency order. Services write one of
 * these; `planSetup` turns it into a step graph. Nothing here says *when* a thing happens — the
 * pattern decides that.
 */
export interface ServiceDeclaration {
  /** Short service name, e.g. `gateway`; the component with this id is "the service" for `hybrid`. */
  readonly service: string;
  readonly images: readonly ImageDeclaration[];
  readonly cluster: {
    readonly name: string;
    readonly kubeconfigPath: string;
    /** Provider-specific configuration (for kind: a `KindClusterConfig`). */
    readonly config?: unknown;
    readonly ifExists?: ExistingClusterPolicy;
  };
  /** CustomResourceDefinitions, already parsed. */
  readonly crds?: readonly KubeObject[];
  readonly namespace: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly components: readonly ComponentDeclaration[];
}

/** An image of the run; `id` is how components refer to it. */
export type ImageDeclaration = BuiltImageDeclaration | ExternalImageDeclaration;

/** An image this run builds (and, unless `buildOnly`, loads onto the nodes). */
export interface BuiltImageDeclaration {
  readonly id: string;
  readonly build: ImageBuildConfig;
  /** Built only (e.g. a `db-migrate` or `must-gather` image): no load step, no component runs it. */
  readonly buildOnly?: boolean;
}

/**
 * An image this run does not build, by its pinned reference: the load step puts the local engine's copy onto the
 * nodes when the engine has it (or pushes it, in registry mode); otherwise the nodes pull it themselves.
 */
export interface ExternalImageDeclaration {
  readonly id: string;
  readonly ref: string;
}

/** True for an image the run builds. */
export function isBuiltImage(image: ImageDeclaration): image is BuiltImageDeclaration {
  return 'build' in image;
}

export type ComponentDeclaration = DeployComponent | MigrateComponent | ApplyComponent;

/** Something applied to the cluster and waited for (PostgreSQL, Redis, DataStorage, the service). */
export interface DeployComponent {
  readonly id: string;
  readonly kind: 'deploy';
  /** Ids of declared images it runs (each must exist in `images`, built or external). */
  readonly images: readonly string[];
  /** Component ids that must be READY before this one is applied. */
  readonly dependsOn: readonly string[];
  /** Renders the objects to apply; receives image id → built reference for this component's images. */
  readonly manifests: (imageRefs: Readonly<Record<string, string>>) => readonly KubeObject[];
  /** Waited with `kube.rolloutStatus`, e.g. `deployment/postgresql`. */
  readonly rollout: readonly ResourceRef[];
  /** Probed after the rollout completes. */
  readonly readiness?: { readonly probe: Probe; readonly options: ReadinessOptions };
  /** Runs right after the apply, e.g. to patch a webhook's caBundle. */
  readonly afterApply?: (kube: KubeClient, ctx: OperationContext) => Promise<void>;
  /** Deadline of each rollout wait; 300 000 ms when omitted. (Optional addition to the shared contract.) */
  readonly rolloutTimeoutMs?: number;
  /**
   * The rollout wait gives up on a crash-looping container of this component once it has restarted this many times
   * (the kubelet's back-off: 10 s, 20 s, 40 s… between them), instead of waiting for the deadline. Unset: the run's
   * `podWatch.failAfterRestarts` (a project config's `defaults.failAfterRestarts`), else 2.
   */
  readonly failAfterRestarts?: number;
}

/** Database migrations applied through a port-forward to a component that must be ready first. */
export interface MigrateComponent {
  readonly id: string;
  readonly kind: 'migrate';
  readonly dependsOn: readonly string[];
  readonly directory: string;
  readonly database: Omit<DatabaseTarget, 'host' | 'port'>;
  readonly via: { readonly namespace: string; readonly target: ResourceRef; readonly remotePort: number };
}

/** What earlier steps produced, for the objects of later ones: image id → the reference pods use. */
export interface StepValues {
  readonly images: Readonly<Record<string, string>>;
}

/**
 * Objects applied as they are: `manifests` (the run's Secrets and ConfigMaps, repository YAML) or a `seed` (resources
 * applied once what they depend on is ready, e.g. ActionTypes). Ready once applied.
 */
export interface ApplyComponent {
  readonly id: string;
  readonly kind: 'manifests' | 'seed';
  /** Component ids that must be ready first. */
  readonly dependsOn: readonly string[];
  /** Ids of declared images the objects run (their loads come first; their references are in `values.images`). */
  readonly images?: readonly string[];
  /** Renders the objects to apply from what earlier steps produced. */
  readonly objects: (values: StepValues) => readonly KubeObject[];
  /** What is applied, for labels, e.g. `2 Secrets, 1 ConfigMap`. */
  readonly summary?: string;
  /**
   * Kinds whose `status` the step writes through the status subresource after the apply (a CRD with that subresource
   * ignores a status written by apply), e.g. `ActionType` seeded as registered.
   */
  readonly statusKinds?: readonly string[];
}
