import type {
  Clock,
  ClusterProvider,
  DatabaseTarget,
  ExistingClusterPolicy,
  ImageBuildConfig,
  ImageBuilder,
  ImageLoader,
  KubeClient,
  KubeClientFactory,
  KubeObject,
  Migrator,
  OperationContext,
  Probe,
  ReadinessOptions,
  ReadinessProber,
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

/** An image this run builds; `id` is how components refer to it. */
export interface ImageDeclaration {
  readonly id: string;
  readonly build: ImageBuildConfig;
}

export type ComponentDeclaration = DeployComponent | MigrateComponent;

/** Something applied to the cluster and waited for (PostgreSQL, Redis, DataStorage, the service). */
export interface DeployComponent {
  readonly id: string;
  readonly kind: 'deploy';
  /** Ids of declared images it runs (each must exist in `images`). */
  readonly images: readonly string[];
  /** Pinned references the nodes pull themselves (e.g. `docker.io/library/postgres:16.4`). */
  readonly externalImages?: readonly string[];
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

/**
 * The ports one run needs. Real adapters or the simulator (`@kubernaut-e2e/sim`) provide them; the
 * scheduler and the step handlers use nothing else, so the same plan runs on either.
 */
export interface Toolchain {
  readonly clock: Clock;
  readonly imageBuilder: ImageBuilder;
  readonly imageLoader: ImageLoader;
  readonly cluster: ClusterProvider;
  readonly kube: KubeClientFactory;
  readonly migrator: Migrator;
  readonly prober: ReadinessProber;
}
