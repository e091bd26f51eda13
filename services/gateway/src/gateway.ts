import type { ImageBuildConfig } from '@kubernaut-e2e/core';
import {
  type DeclareContext,
  dataStorageStack,
  type InfrastructureHandle,
  inClusterDataStorageUrl,
  kindConfigFor,
  readProjectCrds,
  requirePort,
  type ServiceDefinition,
  type SetupOptions,
  setupInfrastructure,
} from '@kubernaut-e2e/datastorage';
import { serviceManifests } from '@kubernaut-e2e/deployers';

/** The CRDs the gateway creates or watches (RemediationRequest and the kinds it fans out to). */
export const GATEWAY_CRD_FILES = [
  'remediation.kubernaut.ai_remediationrequests.yaml',
  'signalprocessing.kubernaut.ai_signalprocessings.yaml',
  'aianalysis.kubernaut.ai_aianalyses.yaml',
  'workflowexecution.kubernaut.ai_workflowexecutions.yaml',
] as const;

const GATEWAY_NODE_PORT = 30080;

/** The seed's `E2EImageConfig` for the gateway. */
export function gatewayImage(context: DeclareContext): ImageBuildConfig {
  return {
    serviceName: 'gateway',
    imageName: 'kubernaut/gateway',
    dockerfilePath: 'docker/gateway.Dockerfile',
    consumer: context.consumer,
    enableCoverage: context.coverage,
  };
}

/**
 * The gateway's suite: gateway and DataStorage images, the CRDs, namespace `kubernaut-system`, the DataStorage
 * stack, then the gateway with its RBAC; ready when its `/readyz` answers through the kind port mapping.
 */
export const gatewayService: ServiceDefinition = {
  service: 'gateway',
  defaultHostPorts: { gateway: 18080, datastorage: 18081, postgresql: 15432 },
  async declare(context) {
    const stack = dataStorageStack(context);
    const gatewayPort = requirePort(context.hostPorts, 'gateway');
    const namespace = context.namespace;
    return {
      declaration: {
        service: 'gateway',
        images: [...stack.images, { id: 'gateway', build: gatewayImage(context) }],
        cluster: {
          name: context.clusterName,
          kubeconfigPath: context.kubeconfigPath,
          config: kindConfigFor(context, [
            { containerPort: GATEWAY_NODE_PORT, hostPort: gatewayPort },
            ...stack.portMappings,
          ]),
        },
        crds: await readProjectCrds(context.projectRoot, GATEWAY_CRD_FILES),
        namespace: { name: namespace },
        components: [
          ...stack.components,
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
                      apiGroups: ['remediation.kubernaut.ai'],
                      resources: ['remediationrequests', 'remediationrequests/status'],
                      verbs: ['create', 'get', 'list', 'watch', 'update', 'patch'],
                    },
                    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
                  ],
                },
                coverage: context.coverage,
              }),
            rollout: ['deployment/gateway'],
            rolloutTimeoutMs: 180_000,
            readiness: {
              probe: { kind: 'http', url: `http://localhost:${gatewayPort}/readyz` },
              options: { timeoutMs: 120_000, intervalMs: 1000, attemptTimeoutMs: 3000 },
            },
          },
        ],
      },
      endpoints: { gatewayUrl: `http://localhost:${gatewayPort}`, ...stack.endpoints },
    };
  },
};

/** Sets up the gateway's E2E infrastructure. `await using infra = await setupGatewayInfrastructure()`. */
export function setupGatewayInfrastructure(options?: SetupOptions): Promise<InfrastructureHandle> {
  return setupInfrastructure(gatewayService, options);
}
