import type { Toolchain, Trace } from '@kubernaut-e2e/orchestrator';

/** A ready infrastructure. `await using infra = await setupGatewayInfrastructure()` tears it down at scope exit. */
export interface InfrastructureHandle<E extends string = string> extends AsyncDisposable {
  readonly service: string;
  /**
   * `podman` or `docker` (real kind and kubectl), `sim` (the simulated toolchain: nothing real was created),
   * or `custom` (the caller's own `toolchain`).
   */
  readonly runtime: 'podman' | 'docker' | 'sim' | 'custom';
  readonly pattern: 'dag' | 'standard' | 'hybrid';
  readonly clusterName: string;
  readonly kubeconfigPath: string;
  /** The run's CA (PEM), beside the kubeconfig as `inter-service-ca.pem`: trust it to call `https://` endpoints. */
  readonly caFile?: string;
  readonly namespace: string;
  /** URLs for tests: e.g. `gatewayUrl`, `dataStorageUrl`, `postgresUrl`. */
  readonly endpoints: Readonly<Record<E, string>>;
  /** Image id → the reference the cluster's pods use. */
  readonly images: Readonly<Record<string, string>>;
  /** Every step with its start, end and outcome (render with the orchestrator's Gantt/HTML/Chrome-trace helpers). */
  readonly trace: Trace;
  /** This run's id: its diagnostics and coverage go to `<outputDir>/diagnostics|coverage/<runId>/`. */
  readonly runId: string;
  /** Where the run writes what it finds out (`~/.local/state/kubernaut-e2e/runs/<project>/<service>/` by default). */
  readonly outputDir: string;
  /** With coverage on: where teardown writes the coverage data and report. */
  readonly coverageReportDir?: string;
  /**
   * On an existing cluster (`cluster.existing`): its context, and that the endpoints are `kubectl port-forward`s
   * held by this process. `closeEndpoints()` stops them without deleting anything (a CLI `up` that exits);
   * teardown stops them too, then deletes the run's namespace.
   */
  readonly existingCluster?: { readonly context: string; closeEndpoints(): Promise<void> };
  /** The ports the setup ran on; the dev loop rebuilds, loads and rolls through the same ones. */
  readonly toolchain: Toolchain;
  /**
   * Lets go of what this process holds for the run (its claim on the cluster name and host ports) and leaves
   * everything running, files included: what a CLI `up` does before it exits (`down` removes the rest).
   */
  detach(): void;
  /**
   * Deletes the cluster and the kubeconfig, unless the keep policy is `always` or the cluster existed before
   * the setup (`reuseCluster`: it is left as found). On an existing cluster: deletes the run's namespace and its own
   * cluster-scoped objects, never the cluster. Idempotent.
   */
  teardown(): Promise<void>;
}
