import type { ServiceDeclaration } from '@kubernaut-e2e/orchestrator';

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
}

export interface DeclaredService {
  readonly declaration: ServiceDeclaration;
  /** URLs a test suite uses, e.g. `gatewayUrl`, `dataStorageUrl`, `postgresUrl`. */
  readonly endpoints: Readonly<Record<string, string>>;
}

/** A service's setup, as data: what to build, deploy and wait for. */
export interface ServiceDefinition {
  /** `gateway`, `datastorage`, `notification`, `authwebhook`. */
  readonly service: string;
  /**
   * Host ports this service publishes from its kind node. Each service has its own range so all four can be set
   * up at once on one machine.
   */
  readonly defaultHostPorts: Readonly<Record<string, number>>;
  declare(context: DeclareContext): Promise<DeclaredService>;
}
