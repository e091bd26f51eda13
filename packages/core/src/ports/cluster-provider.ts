import type { OperationContext } from './operation-context.js';

/** What to do when a cluster of the requested name already exists. */
export type ExistingClusterPolicy = 'fail' | 'reuse' | 'recreate';

export interface ClusterCreateRequest {
  readonly name: string;
  /** Where the cluster's kubeconfig is written (mode 0600). */
  readonly kubeconfigPath: string;
  /** Provider-specific configuration (for kind: a `KindClusterConfig` object from `@kubernaut-e2e/cluster`). */
  readonly config?: unknown;
  readonly ifExists?: ExistingClusterPolicy;
  readonly waitMs?: number;
}

export interface ClusterInfo {
  readonly name: string;
  readonly kubeconfigPath: string;
  /** True when an existing cluster was reused instead of created. */
  readonly reused: boolean;
}

export interface ClusterDeleteOptions {
  /**
   * The kubeconfig the cluster was created with, for a provider that did not create it itself (a later `down`):
   * kind removes the cluster's entries from this file instead of from the user's own `~/.kube/config`.
   */
  readonly kubeconfigPath?: string;
}

/** Creates, loads images into and removes clusters (kind, an existing cluster, or the simulator). */
export interface ClusterProvider {
  readonly name: string;
  create(request: ClusterCreateRequest, ctx?: OperationContext): Promise<ClusterInfo>;
  exists(name: string, ctx?: OperationContext): Promise<boolean>;
  delete(name: string, ctx?: OperationContext, options?: ClusterDeleteOptions): Promise<void>;
  /** Writes the cluster's kubeconfig to `path` and returns it. */
  kubeconfig(name: string, path: string, ctx?: OperationContext): Promise<string>;
  /** Imports a docker-archive file into every node (`kind load image-archive`). */
  loadArchive(name: string, archivePath: string, ctx?: OperationContext): Promise<void>;
  /** References of every image present on the cluster's nodes, normalised as containerd lists them. */
  listNodeImages(name: string, ctx?: OperationContext): Promise<readonly string[]>;
  exportLogs(name: string, dir: string, ctx?: OperationContext): Promise<void>;
}
