// What kubernaut's four controller suites (remediationorchestrator, signalprocessing, workflowexecution, aianalysis)
// deploy the same way, written once. Facts are recorded from kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0.
import type { DeploymentSpec, ProbeSpec, RunContext, VolumeSpec } from '@kubernaut-e2e/setup';

/** Where every controller reads the run's CA: the suites mount `inter-service-ca` here and set `TLS_CA_FILE`. */
export const TLS_CA_DIR = '/etc/tls-ca';
export const TLS_CA_FILE = `${TLS_CA_DIR}/ca.crt`;

/** The `controller:` section of a controller's config (`internal/config/controller.go:6-9`). */
export function controllerSection(leaderElectionId: string) {
  return { metricsAddr: ':9090', healthProbeAddr: ':8081', leaderElection: false, leaderElectionId };
}

/** The audit buffer the remediationorchestrator, signalprocessing and workflowexecution suites write. */
export const SUITE_AUDIT_BUFFER = { bufferSize: 10000, batchSize: 50, flushInterval: '100ms', maxRetries: 3 };

/**
 * The `datastorage:` section (`internal/config/datastorage.go:26-69`): this run's DataStorage over HTTPS, which the
 * binary trusts through `TLS_CA_FILE`. The suites name it by a short or namespaced host; any of the Service's names
 * is in its certificate.
 */
export function dataStorageSection(run: RunContext, buffer: typeof SUITE_AUDIT_BUFFER = SUITE_AUDIT_BUFFER) {
  const url = run.url('datastorage', 'https');
  return { url, healthUrl: `${url}/readyz`, timeout: '10s', buffer };
}

/** Liveness on `/healthz` and readiness on `/readyz` of the health port, with the suites' timings. */
export const CONTROLLER_PROBES: { readiness: ProbeSpec; liveness: ProbeSpec } = {
  readiness: { path: '/readyz', port: 'health', initialDelaySeconds: 5, periodSeconds: 10 },
  liveness: { path: '/healthz', port: 'health', initialDelaySeconds: 15, periodSeconds: 20 },
};

type Env = Record<string, string> | ((run: RunContext) => Record<string, string>);

/** A controller as `controllerDeployment` takes it: what differs between the suites. */
export interface ControllerSpec extends Omit<DeploymentSpec, 'ports' | 'publish' | 'env'> {
  /** Node ports of the metrics (9090) and health (8081) ports, published on the host ports `metrics` and `health`. */
  readonly nodePorts: { readonly metrics: number; readonly health: number };
  readonly env?: Env;
}

/**
 * A kubernaut controller as its suite deploys it: container `controller`, running as a ServiceAccount named after
 * the Deployment, metrics on 9090 and health on 8081 (each behind the node port the suite's kind config maps),
 * `TLS_CA_FILE` pointing at the mounted `inter-service-ca`, probed on the health port.
 */
export function controllerDeployment({ nodePorts, env, volumes, ...spec }: ControllerSpec): DeploymentSpec {
  return {
    containerName: 'controller',
    serviceAccount: spec.id,
    probes: CONTROLLER_PROBES,
    ...spec,
    env: (run) => ({ ...(typeof env === 'function' ? env(run) : env), TLS_CA_FILE }),
    ports: [
      { name: 'metrics', port: 9090, nodePort: nodePorts.metrics },
      { name: 'health', port: 8081, nodePort: nodePorts.health },
    ],
    publish: [
      { port: 'metrics', hostPort: 'metrics', endpoint: 'metricsUrl' },
      { port: 'health', hostPort: 'health', endpoint: 'healthUrl' },
    ],
    volumes: [...(volumes ?? []), tlsCaVolume()],
  };
}

/** The run's CA, mounted where kubernaut's binaries look for it. */
export function tlsCaVolume(): VolumeSpec {
  return { name: 'tls-ca', mountPath: TLS_CA_DIR, source: { configMap: 'inter-service-ca' } };
}
