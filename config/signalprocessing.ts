// The signal processing controller's suite, as kubernaut runs it (`test/infrastructure/signalprocessing_e2e_hybrid.go`,
// "hyb" below, at kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0).
import { actionTypeSeed, dataStorageStack } from '@kubernaut-e2e/datastorage';
import { defineService, type RunContext } from '@kubernaut-e2e/setup';
import { controllerDeployment, controllerSection, dataStorageSection } from './controller.js';

const CONFIG_DIR = '/etc/signalprocessing';

/**
 * `config.yaml` (hyb:843-864) with the keys of `pkg/signalprocessing/config/config.go`. The binary reads its policy
 * from `/etc/signalprocessing/policies/<classifier.regoConfigMapKey>` and exits without it (cmd main.go:216).
 */
export function signalProcessingConfig(run: RunContext) {
  return {
    controller: controllerSection('signalprocessing.kubernaut.ai'),
    enrichment: { cacheTtl: '5m', timeout: '10s' },
    classifier: {
      regoConfigMapName: 'signalprocessing-policy',
      regoConfigMapKey: 'policy.rego',
      hotReloadInterval: '30s',
    },
    datastorage: dataStorageSection(run),
  };
}

const read = ['get', 'list', 'watch'];
const write = [...read, 'create', 'update', 'patch'];

/**
 * kubernaut's `signalprocessing-e2e` suite: its kind config (`test/infrastructure/kind-signalprocessing-config.yaml`:
 * metrics on 9182, DataStorage and PostgreSQL on their node ports, kubelet syncing ConfigMaps every 10 s for the
 * policy hot-reload test), the DataStorage stack, the ActionTypes, the classification policy (`signalprocessing-policy`,
 * key `policy.rego`) and the proactive signal mappings, and the controller. Its policy is the repository's example
 * policy, which differs from the one the suite writes inline in Go (see docs/guide/kubernaut-suites.md).
 */
export const signalProcessingService = defineService({
  name: 'signalprocessing',
  description: 'the signal processing controller, on the DataStorage stack',
  pattern: 'hybrid',
  cluster: { name: 'signalprocessing-e2e', kubeconfig: '~/.kube/signalprocessing-e2e-config' },
  kindConfig: 'test/infrastructure/kind-signalprocessing-config.yaml',
  uses: [dataStorageStack],
  hostPorts: { datastorage: 30081, datastorageHealth: 30281, postgresql: 30432, metrics: 9182, health: 8082 },
  images: { signalprocessing: { dockerfile: 'docker/signalprocessing-controller.Dockerfile' } },
  // Applied first (hyb:498-577), then the whole directory (hyb:165), as the DataStorage stack does.
  crds: [
    'config/crd/bases/kubernaut.ai_signalprocessings.yaml',
    'config/crd/bases/kubernaut.ai_remediationrequests.yaml',
  ],
  configMaps: [
    { name: 'signalprocessing-config', files: { 'config.yaml': { yaml: signalProcessingConfig } } },
    {
      name: 'signalprocessing-policy',
      files: { 'policy.rego': { file: 'charts/kubernaut/examples/signalprocessing-policy.rego' } },
    },
    {
      name: 'signalprocessing-proactive-signal-mappings',
      files: {
        'proactive-signal-mappings.yaml': { file: 'config/signalprocessing/proactive-signal-mappings.yaml' },
      },
    },
  ],
  seeds: [actionTypeSeed(['datastorage'])],
  deployments: [
    controllerDeployment({
      id: 'signalprocessing-controller',
      image: 'signalprocessing',
      serviceName: 'signalprocessing-controller-metrics',
      dependsOn: ['datastorage'],
      args: [`--config=${CONFIG_DIR}/config.yaml`],
      env: (run) => ({ KUBERNAUT_CONTROLLER_NAMESPACE: run.namespace }),
      fieldEnv: { NAMESPACE: 'metadata.namespace' },
      // The suite's Service publishes only metrics (30182); 30082 is the kind config's other controller mapping.
      nodePorts: { metrics: 30182, health: 30082 },
      volumes: [
        // config.yaml and proactive-signal-mappings.yaml side by side in /etc/signalprocessing, where the suite mounts
        // each of them with a subPath (a projected volume keeps the two ConfigMaps and their names).
        {
          name: 'config',
          mountPath: CONFIG_DIR,
          source: {
            projected: [
              { configMap: 'signalprocessing-config', items: [{ key: 'config.yaml', path: 'config.yaml' }] },
              {
                configMap: 'signalprocessing-proactive-signal-mappings',
                items: [{ key: 'proactive-signal-mappings.yaml', path: 'proactive-signal-mappings.yaml' }],
              },
            ],
          },
        },
        // A directory mount, so an edited policy reaches the running controller (the hot-reload test).
        {
          name: 'policy',
          mountPath: `${CONFIG_DIR}/policies`,
          source: { configMap: 'signalprocessing-policy' },
        },
      ],
      clusterRules: [
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['signalprocessings', 'remediationrequests'],
          verbs: [...write, 'delete'],
        },
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['signalprocessings/status', 'signalprocessings/finalizers'],
          verbs: ['get', 'update', 'patch'],
        },
        // `create` on services is also what DataStorage's access review asks of its audit writers: the suite binds
        // no data-storage-client role to this account.
        {
          apiGroups: [''],
          resources: ['pods', 'services', 'namespaces', 'nodes', 'configmaps', 'secrets', 'events'],
          verbs: write,
        },
        {
          apiGroups: ['apps'],
          resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
          verbs: read,
        },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: read },
        { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: read },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: read },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: [...write, 'delete'] },
      ],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    }),
  ],
});
