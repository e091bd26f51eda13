import type {
  ClusterCreateRequest,
  ImageBuildConfig,
  KubeObject,
  Probe,
  ReadinessOptions,
} from '@kubernaut-e2e/core';
import type { ApplyComponent, DeployComponent, MigrateComponent } from '../declaration.js';

/** How the same steps are ordered; see `planSetup`. */
export const PATTERNS = ['standard', 'hybrid', 'dag'] as const;
export type Pattern = (typeof PATTERNS)[number];

export type StepKind =
  | 'build'
  | 'create-cluster'
  | 'install-crds'
  | 'namespace'
  | 'load'
  | 'deploy'
  | 'migrate'
  | 'manifests'
  | 'seed'
  | 'wait-ready'
  | 'teardown';

/** The pool a step draws a concurrency slot from (`runPlan`'s `limits`). */
export type StepResource = 'build' | 'cluster' | 'load' | 'kube';

interface StepBase<K extends StepKind, R extends StepResource, P> {
  /** Unique, stable id, e.g. `build:gateway`, `ready:postgresql`. */
  readonly id: string;
  readonly kind: K;
  /** Human-readable description for progress output. */
  readonly label: string;
  /** Ids of the steps that must succeed before this one starts. */
  readonly deps: readonly string[];
  readonly resource: R;
  readonly payload: P;
}

export type BuildStep = StepBase<
  'build',
  'build',
  { readonly imageId: string; readonly config: ImageBuildConfig }
>;
export type CreateClusterStep = StepBase<'create-cluster', 'cluster', ClusterCreateRequest>;
export type InstallCrdsStep = StepBase<'install-crds', 'kube', { readonly crds: readonly KubeObject[] }>;
export type NamespaceStep = StepBase<
  'namespace',
  'kube',
  { readonly name: string; readonly labels?: Readonly<Record<string, string>> }
>;
/** A load; with `delivery: 'registry'` a push that needs no cluster (the nodes pull later). */
export type LoadStep = StepBase<
  'load',
  'load',
  {
    readonly imageId: string;
    readonly delivery?: 'registry';
    readonly clusterName?: string;
    /** An external image's pinned reference: loaded when the local engine has it, else left to the nodes to pull. */
    readonly external?: string;
  }
>;
export type DeployStep = StepBase<
  'deploy',
  'kube',
  { readonly component: DeployComponent; readonly namespace: string }
>;
export type WaitReadyStep = StepBase<
  'wait-ready',
  'kube',
  {
    readonly componentId: string;
    readonly namespace: string;
    readonly rollout: readonly string[];
    readonly rolloutTimeoutMs: number;
    /** The component's own `failAfterRestarts`, when it gives one (else the run's, else 2). */
    readonly failAfterRestarts?: number;
    readonly readiness?: { readonly probe: Probe; readonly options: ReadinessOptions };
  }
>;
export type MigrateStep = StepBase<'migrate', 'kube', { readonly component: MigrateComponent }>;
/** Applies objects: the run's Secrets and ConfigMaps or repository YAML (`manifests`), or a `seed`. */
export type ApplyStep = StepBase<
  'manifests' | 'seed',
  'kube',
  { readonly component: ApplyComponent; readonly namespace: string }
>;
/** Finalizers: run after the main steps, whatever their outcome (the scheduler decides which apply). */
export type TeardownStep = StepBase<
  'teardown',
  'cluster',
  { readonly action: 'export-logs' | 'delete-cluster'; readonly clusterName: string }
>;

export type PlanStep =
  | BuildStep
  | CreateClusterStep
  | InstallCrdsStep
  | NamespaceStep
  | LoadStep
  | DeployStep
  | WaitReadyStep
  | MigrateStep
  | ApplyStep
  | TeardownStep;

/** A step graph: typed steps and their dependency edges. Pure data (plus the declaration's render functions). */
export interface Plan {
  readonly service: string;
  readonly pattern: Pattern;
  readonly steps: readonly PlanStep[];
  /**
   * When true the scheduler loads every load step that is runnable at the same moment in ONE archive
   * (one `imageLoader.load` call). `dag` turns it on; `standard` and `hybrid` load each image on its own,
   * as the seed does.
   */
  readonly batchLoads: boolean;
}
