/**
 * What the functions of a declaration receive: the values this run knows before anything runs. Config files,
 * environment, args and seeds are written as functions of it, so they name the run's namespace, the in-cluster URLs
 * of other components and the TLS files instead of hard-coding them.
 */
export interface RunContext {
  /** Namespace everything is deployed into. */
  readonly namespace: string;
  /** The kubernaut checkout (Dockerfiles, migrations, CRDs, repository manifests). */
  readonly projectRoot: string;
  readonly clusterName: string;
  readonly kubeconfigPath: string;
  /** Host ports by name: the service's `hostPorts` with the caller's overrides. */
  readonly hostPorts: Readonly<Record<string, number>>;
  /** Node ports by host port name, as the service moved them (`nodePorts`). */
  readonly nodePorts: Readonly<Record<string, number>>;
  /** Coverage-instrumented binaries (`E2E_COVERAGE=true`). */
  readonly coverage: boolean;
  /** The suite that needs the images, used in image tags (`gateway-e2e`). */
  readonly consumer: string;
  /** A component's Service inside the cluster: `data-storage-service.<namespace>.svc.cluster.local`. */
  host(component: string): string;
  /**
   * A component's URL inside the cluster: `https://data-storage-service.<namespace>.svc.cluster.local:8080` for its
   * first port (or the one named), `https` when that port serves TLS.
   */
  url(component: string, port?: string): string;
  /** The Service port of a component's named port. */
  port(component: string, port: string): number;
  /** A URL on this machine: `http://localhost:<hostPorts[name]>` (`https` when what is published there serves TLS). */
  hostUrl(hostPort: string): string;
  /**
   * The run's CA: the ConfigMap it is in (`inter-service-ca`, key `ca.crt`), the PEM file written beside the kubeconfig,
   * and `bundle()`, its PEM in base64 as a webhook configuration's `caBundle` takes it (a service with no `serves`
   * certificate has no CA: `bundle()` then throws).
   */
  readonly ca: { readonly configMap: string; readonly key: string; readonly file: string; bundle(): string };
}
