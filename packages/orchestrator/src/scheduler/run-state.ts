import { type KubeClient, PlanError, type Toolchain } from '@kubernaut-e2e/core';

/** The cluster a run created or reused, as the teardown needs to know it. */
export interface RunCluster {
  readonly name: string;
  readonly kubeconfigPath: string;
  /** False when the cluster existed before the run and was reused or refused: teardown never deletes it. */
  readonly owned: boolean;
  /** Set once `create` returned. */
  reused?: boolean;
}

/** What steps hand to later steps: built references and the cluster. One per run. */
export class RunState {
  readonly images: Record<string, string> = {};
  /** Built reference → the engine's image ID the build reported (a registry push compares it without an inspect). */
  readonly imageIds: Record<string, string> = {};
  /** References loaded into the nodes from an archive by this run: nothing will pull them from a registry. */
  readonly loadedRefs = new Set<string>();
  cluster: RunCluster | undefined;
  /** True once the create call returned. */
  clusterCreated = false;
  #kube: { readonly path: string; readonly client: KubeClient } | undefined;

  constructor(
    private readonly toolchain: Toolchain,
    /** Called once, before `create`, when the run is about to create a cluster it will own. */
    private readonly onOwnedCluster?: (name: string) => void,
  ) {}

  /** Records the run's cluster; the first owned one is reported so it can be cleaned up on SIGINT. */
  setCluster(cluster: RunCluster): void {
    const first = this.cluster === undefined;
    this.cluster = cluster;
    if (first && cluster.owned) this.onOwnedCluster?.(cluster.name);
  }

  /** The kube client of the run's cluster (created once per kubeconfig). */
  kube(): KubeClient {
    const path = this.cluster?.kubeconfigPath;
    if (path === undefined)
      throw new PlanError('no cluster yet: a kube step ran before the create-cluster step');
    if (this.#kube?.path !== path) this.#kube = { path, client: this.toolchain.kube(path) };
    return this.#kube.client;
  }

  imageRef(imageId: string): string {
    const ref = this.images[imageId];
    if (ref === undefined) throw new PlanError(`image "${imageId}" has not been built yet in this run`);
    return ref;
  }
}
