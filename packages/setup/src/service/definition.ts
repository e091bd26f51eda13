import type { Pattern, ServiceDeclaration } from '@kubernaut-e2e/orchestrator';
import type { ServiceSpec } from './spec/service.js';

/** What the setup resolved from its options and hands a service to declare one run (internal). */
export interface DeclareContext {
  /** The kubernaut checkout (Dockerfiles, migrations, CRDs). */
  readonly projectRoot: string;
  readonly clusterName: string;
  readonly kubeconfigPath: string;
  readonly coverage: boolean;
  /** Host ports by name: the service's `hostPorts` with the caller's overrides. */
  readonly hostPorts: Readonly<Record<string, number>>;
  /** The suite that needs the images, used in image tags (`gateway-e2e`). */
  readonly consumer: string;
  /** Namespace everything is deployed into. */
  readonly namespace: string;
  /** Host directory mounted at `/coverdata` when coverage is on. */
  readonly coverageDir?: string;
  /**
   * True when the caller chose `coverageDir` (`E2E_COVERDIR`). Otherwise it is only the default, and a kind config
   * that mounts `/coverdata` itself decides where coverage lands.
   */
  readonly coverageDirGiven?: boolean;
  /**
   * The caller's choice of kind config (a setup option, e.g. from the project config's overrides): a path
   * relative to the project root, or `false` for the config the setup builds. Unset: the service's own choice.
   */
  readonly kindConfig?: string | false;
  /** Node ports by host port name, as the service moved them (`nodePorts`); filled in by the service. */
  readonly nodePorts?: Readonly<Record<string, number>>;
}

/** One run's setup of a service, declared: the graph's input, the endpoints and what `plan` says. */
export interface DeclaredService {
  readonly declaration: ServiceDeclaration;
  /** URLs a test suite uses, e.g. `gatewayUrl`, `dataStorageUrl`, `postgresUrl`. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** What the setup did with the cluster configuration (printed by `plan`), e.g. "kind config built from host ports". */
  readonly notes?: readonly string[];
  /**
   * The host directory the cluster mounts at `/coverdata` when it is not `context.coverageDir`: the one a
   * repository's kind config mounts itself (e.g. `./coverdata`, resolved). The setup creates it before kind runs.
   */
  readonly coverageDir?: string;
  /** The run's CA (PEM), written beside the kubeconfig as `inter-service-ca.pem` when the service serves TLS. */
  readonly ca?: { readonly pem: string; readonly file: string };
}

/**
 * A service's setup, as data: what `defineService` returns, what the CLI and `setupInfrastructure` take. `E` names
 * its endpoints, so a handle's `endpoints.gatewayUrl` is typed.
 */
export interface Service<E extends string = string> {
  /** `gateway`, `datastorage`, …: the name on the command line, in cluster names and image tags. */
  readonly name: string;
  /** One line for `--help` and `status`. */
  readonly description?: string;
  /** The ordering this service has migrated to; a caller or the project config may choose another. */
  readonly pattern?: Pattern;
  /** Namespace everything is deployed into; `kubernaut-system` when omitted. */
  readonly namespace?: string;
  /** The cluster name and kubeconfig path the suite's own code looks for. */
  readonly cluster?: { readonly name?: string; readonly kubeconfig?: string };
  /** Host ports this service publishes from its kind node, by name. */
  readonly hostPorts: Readonly<Record<string, number>>;
  /** The checked spec it was defined from. */
  readonly spec: ServiceSpec;
  /** The endpoint names a handle of this service has (types only). */
  readonly endpointNames?: readonly E[];
  /** Declares one run: reads the project files it names and renders what it applies. Used by the setup. */
  declare(context: DeclareContext): Promise<DeclaredService>;
}
