import type { Pattern, ServiceDeclaration } from '@kubernaut-e2e/orchestrator';

/** What a service's `declare` receives: everything resolved from the options, before anything runs. */
export interface DeclareContext {
  /** The kubernaut checkout (Dockerfiles, migrations, CRDs). */
  readonly projectRoot: string;
  readonly clusterName: string;
  readonly kubeconfigPath: string;
  readonly coverage: boolean;
  /** Host ports by name: the service's `defaultHostPorts` with the caller's overrides. */
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
  /**
   * Node ports by host port name, as the service chose them (`defineService`'s `nodePorts`). A stack publishes a
   * host port from its own default node port unless the service moved it here.
   */
  readonly nodePorts?: Readonly<Record<string, number>>;
}

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
}

/**
 * A service's setup, as data: what to build, deploy and wait for. Write one with `defineService`; the CLI and
 * `setupInfrastructure` take any value of this shape.
 */
export interface ServiceDefinition {
  /** `gateway`, `datastorage`, …: the name on the command line, in cluster names and image tags. */
  readonly service: string;
  /** One line for `--help` and `status`. */
  readonly description?: string;
  /** The ordering this service has migrated to; a caller or the project config may choose another. */
  readonly pattern?: Pattern;
  /** Namespace everything is deployed into; `kubernaut-system` (`KUBERNAUT_NAMESPACE`) when omitted. */
  readonly namespace?: string;
  /**
   * Host ports this service publishes from its kind node. Each service has its own range so several can be set
   * up at once on one machine.
   */
  readonly defaultHostPorts: Readonly<Record<string, number>>;
  declare(context: DeclareContext): Promise<DeclaredService>;
}
