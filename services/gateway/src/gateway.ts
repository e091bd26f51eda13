import { dataStorageStack, inClusterDataStorageUrl } from '@kubernaut-e2e/datastorage';
import { serviceManifests } from '@kubernaut-e2e/deployers';
import {
  DEFAULT_READY_TIMEOUT_MS,
  defineService,
  type InfrastructureHandle,
  type SetupOptions,
  setupInfrastructure,
} from '@kubernaut-e2e/setup';

/**
 * The CRD the gateway's suite applies itself: RemediationRequest, which the gateway creates. The DataStorage stack
 * underneath adds the rest of `config/crd/bases/`, as the suite's DataStorage setup does.
 */
export const GATEWAY_CRD_FILES = ['config/crd/bases/kubernaut.ai_remediationrequests.yaml'] as const;

const GATEWAY_NODE_PORT = 30080;

/**
 * The gateway's suite, as kubernaut runs it: the repository's `test/infrastructure/kind-gateway-config.yaml`
 * (gateway on 8080, DataStorage on 18091; the setup adds PostgreSQL's host port), gateway and DataStorage images,
 * the CRDs, namespace `kubernaut-system`, the DataStorage stack, then the gateway with its RBAC; ready when its
 * `/readyz` answers through the kind port mapping.
 */
export const gatewayService = defineService({
  name: 'gateway',
  description: 'the signal gateway, on the DataStorage stack',
  kindConfig: 'test/infrastructure/kind-gateway-config.yaml',
  uses: [dataStorageStack],
  hostPorts: { gateway: 8080, datastorage: 18091, postgresql: 15432 },
  nodePorts: { gateway: GATEWAY_NODE_PORT },
  images: { gateway: { dockerfile: 'docker/gateway.Dockerfile', imageName: 'gateway' } },
  crds: GATEWAY_CRD_FILES,
  components: ({ namespace, hostPorts, coverage }) => [
    {
      id: 'gateway',
      kind: 'deploy',
      images: ['gateway'],
      // The gateway writes an audit event to DataStorage for every signal: it needs DataStorage ready.
      dependsOn: ['datastorage', 'redis'],
      manifests: (refs) =>
        serviceManifests({
          name: 'gateway',
          namespace,
          image: refs.gateway!,
          ports: [
            { name: 'http', port: 8080 },
            { name: 'metrics', port: 9090 },
          ],
          nodePorts: { http: GATEWAY_NODE_PORT },
          env: {
            DATA_STORAGE_URL: inClusterDataStorageUrl(namespace),
            REDIS_ADDR: `redis.${namespace}.svc.cluster.local:6379`,
            POD_NAMESPACE: namespace,
          },
          probes: {
            readiness: { type: 'http', path: '/readyz', port: 'http', periodSeconds: 2 },
            liveness: { type: 'http', path: '/healthz', port: 'http', initialDelaySeconds: 15 },
          },
          serviceAccount: {
            name: 'gateway',
            clusterRules: [
              {
                apiGroups: ['kubernaut.ai'],
                resources: ['remediationrequests', 'remediationrequests/status'],
                verbs: ['create', 'get', 'list', 'watch', 'update', 'patch'],
              },
              { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
            ],
          },
          coverage,
        }),
      rollout: ['deployment/gateway'],
      rolloutTimeoutMs: DEFAULT_READY_TIMEOUT_MS,
      readiness: {
        probe: { kind: 'http', url: `http://localhost:${hostPorts.gateway}/readyz` },
        options: { timeoutMs: 120_000, intervalMs: 1000, attemptTimeoutMs: 3000 },
      },
    },
  ],
  endpoints: ({ hostPorts }) => ({ gatewayUrl: `http://localhost:${hostPorts.gateway}` }),
});

/** Sets up the gateway's E2E infrastructure. `await using infra = await setupGatewayInfrastructure()`. */
export function setupGatewayInfrastructure(options?: SetupOptions): Promise<InfrastructureHandle> {
  return setupInfrastructure(gatewayService, options);
}
