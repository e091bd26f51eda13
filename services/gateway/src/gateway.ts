import { actionTypeSeed, dataStorageStack } from '@kubernaut-e2e/datastorage';
import { defineService, type RunContext, type SetupOptions, setupInfrastructure } from '@kubernaut-e2e/setup';

/** The gateway's `config.yaml` (`--config=/etc/gateway/config.yaml`), with the keys kubernaut's suite writes. */
export function gatewayConfig(run: RunContext) {
  const dataStorage = run.url('datastorage', 'https');
  return {
    server: {
      listenAddr: ':8080',
      maxConcurrentRequests: 100,
      readTimeout: '30s',
      writeTimeout: '30s',
      idleTimeout: '120s',
    },
    datastorage: {
      url: dataStorage,
      healthUrl: `${dataStorage}/readyz`,
      timeout: '10s',
      buffer: { bufferSize: 10000, batchSize: 100, flushInterval: '1s', maxRetries: 3 },
    },
  };
}

const read = ['get', 'list', 'watch'];

/**
 * The gateway's suite, as kubernaut runs it (`SetupGatewayInfrastructureParallel`): the repository's
 * `test/infrastructure/kind-gateway-config.yaml` (API 8080, health 28080, metrics 9090, DataStorage 18091 and its
 * health 28091), namespace `kubernaut-system`, the DataStorage stack, the ActionTypes seeded once DataStorage is ready,
 * then the gateway reading `/etc/gateway/config.yaml`, trusting the run's CA, ready when its health port answers
 * `/readyz` (8081, published on 28080).
 */
export const gatewayService = defineService({
  name: 'gateway',
  description: 'the signal gateway, on the DataStorage stack',
  // The names the suite's own code looks for (`gateway_e2e_suite_test.go`).
  cluster: { name: 'gateway-e2e', kubeconfig: '~/.kube/gateway-e2e-config' },
  kindConfig: 'test/infrastructure/kind-gateway-config.yaml',
  uses: [dataStorageStack],
  hostPorts: {
    gateway: 8080,
    gatewayHealth: 28080,
    gatewayMetrics: 9090,
    datastorage: 18091,
    datastorageHealth: 28091,
  },
  images: { gateway: { dockerfile: 'docker/gateway.Dockerfile', imageName: 'gateway' } },
  crds: ['config/crd/bases/kubernaut.ai_remediationrequests.yaml'],
  seeds: [actionTypeSeed(['datastorage'])],
  deployments: [
    {
      id: 'gateway',
      image: 'gateway',
      serviceName: 'gateway-service',
      serviceAccount: 'gateway',
      dependsOn: ['datastorage', 'action-types'],
      args: ['--config=/etc/gateway/config.yaml'],
      env: (run) => ({ TLS_CA_FILE: '/etc/tls-ca/ca.crt', KUBERNAUT_CONTROLLER_NAMESPACE: run.namespace }),
      fieldEnv: { POD_NAME: 'metadata.name', POD_NAMESPACE: 'metadata.namespace' },
      ports: [
        { name: 'http', port: 8080, nodePort: 30080 },
        { name: 'health', port: 8081, nodePort: 30180 },
        { name: 'metrics', port: 9090, nodePort: 30090 },
      ],
      publish: [
        { port: 'http', hostPort: 'gateway', endpoint: 'gatewayUrl' },
        { port: 'health', hostPort: 'gatewayHealth', endpoint: 'gatewayHealthUrl' },
        { port: 'metrics', hostPort: 'gatewayMetrics', endpoint: 'gatewayMetricsUrl' },
      ],
      configFiles: [
        {
          name: 'gateway-config',
          mountPath: '/etc/gateway',
          files: { 'config.yaml': { yaml: gatewayConfig } },
        },
      ],
      volumes: [{ name: 'tls-ca', mountPath: '/etc/tls-ca', source: { configMap: 'inter-service-ca' } }],
      probes: {
        readiness: {
          path: '/readyz',
          port: 'health',
          initialDelaySeconds: 30,
          periodSeconds: 5,
          timeoutSeconds: 5,
          failureThreshold: 6,
        },
        liveness: {
          path: '/healthz',
          port: 'health',
          initialDelaySeconds: 10,
          periodSeconds: 10,
          timeoutSeconds: 5,
          failureThreshold: 3,
        },
      },
      clusterRules: [
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['remediationrequests'],
          verbs: ['create', ...read, 'update', 'patch'],
        },
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['remediationrequests/status'],
          verbs: ['update', 'patch'],
        },
        { apiGroups: [''], resources: ['namespaces', 'configmaps'], verbs: read },
        {
          apiGroups: [''],
          resources: ['pods', 'nodes', 'services', 'secrets', 'persistentvolumes'],
          verbs: read,
        },
        {
          apiGroups: ['apps'],
          resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
          verbs: read,
        },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: read },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          verbs: ['get', 'create', 'update', 'delete'],
        },
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      ],
      // The gateway writes audit events to DataStorage, which checks it may (SAR against data-storage-client).
      clusterRoleBindings: ['data-storage-client'],
      resources: { requests: { memory: '256Mi', cpu: '100m' }, limits: { memory: '512Mi', cpu: '500m' } },
    },
  ],
});

/** Sets up the gateway's E2E infrastructure. `await using infra = await setupGatewayInfrastructure()`. */
export function setupGatewayInfrastructure(options?: SetupOptions) {
  return setupInfrastructure(gatewayService, options);
}
