// The effectiveness monitor's suite, as kubernaut runs it (`test/infrastructure/effectivenessmonitor_e2e.go`, "em"
// below, at kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0; the suite is test/e2e/effectivenessmonitor).
import { authWebhookStack } from '@kubernaut-e2e/authwebhook';
import { defineService, type RunContext } from '@kubernaut-e2e/setup';
import {
  CONTROLLER_PROBES,
  controllerSection,
  dataStorageSection,
  TLS_CA_FILE,
  tlsCaVolume,
} from './controller.js';
import { alertManagerStack, prometheusStack } from './monitoring.js';

const CONFIG_DIR = '/etc/effectivenessmonitor';
const CONFIG_FILE = 'effectivenessmonitor.yaml';

/**
 * `effectivenessmonitor.yaml` (em:355-381) with the keys of `internal/config/effectivenessmonitor/config.go`:
 * assessments stabilise for 30 s and stay valid for 120 s (the binary refuses a window under 30 s, config.go:187),
 * DataStorage with the suite's small audit buffer, and the run's Prometheus and AlertManager with a 2 m lookback.
 */
export function effectivenessMonitorConfig(run: RunContext) {
  return {
    assessment: { stabilizationWindow: '30s', validityWindow: '120s' },
    datastorage: dataStorageSection(run, {
      bufferSize: 100,
      batchSize: 10,
      flushInterval: '1s',
      maxRetries: 3,
    }),
    controller: controllerSection('effectivenessmonitor.kubernaut.ai'),
    external: {
      prometheusUrl: run.url('prometheus'),
      prometheusEnabled: true,
      alertManagerUrl: run.url('alertmanager'),
      alertManagerEnabled: true,
      connectionTimeout: '10s',
      prometheusLookback: '2m',
    },
  };
}

const read = ['get', 'list', 'watch'];

/**
 * kubernaut's `em-e2e` suite (suite_test.go:77, kubeconfig `~/.kube/em-e2e-config`, :122): its kind config
 * (`test/infrastructure/kind-effectivenessmonitor-config.yaml`: DataStorage on 8091, its health on 30281,
 * Prometheus on 9190, AlertManager on 9193), the DataStorage stack and the auth webhook, Prometheus and AlertManager
 * (em:282-293), and the controller reading `/etc/effectivenessmonitor/effectivenessmonitor.yaml` (em:350-515),
 * bound to `data-storage-client` (em:305-311).
 */
export const effectivenessMonitorService = defineService({
  name: 'effectivenessmonitor',
  description:
    'the effectiveness monitor with Prometheus and AlertManager, behind the auth webhook, on DataStorage',
  pattern: 'hybrid', // builds, then the cluster (em:115-181)
  cluster: { name: 'em-e2e', kubeconfig: '~/.kube/em-e2e-config' },
  kindConfig: 'test/infrastructure/kind-effectivenessmonitor-config.yaml',
  uses: [authWebhookStack, prometheusStack, alertManagerStack],
  // The kind config also maps 8089 ("API") and 9189 (metrics): the suite deploys no Service for the controller, so
  // nothing answers there, and neither is named here.
  hostPorts: { datastorage: 8091, datastorageHealth: 30281, prometheus: 9190, alertmanager: 9193 },
  images: {
    effectivenessmonitor: { dockerfile: 'docker/effectivenessmonitor-controller.Dockerfile' },
    // The image of the pods the tests create and assess (`EMTargetPodImage`, em:67-70), loaded up front (em:211-225).
    'target-pod': { ref: 'registry.access.redhat.com/ubi9/ubi-minimal:9.5', preload: true },
  },
  // Applied first (em:228-241), then the whole directory, as the stacks do.
  crds: [
    'config/crd/bases/kubernaut.ai_effectivenessassessments.yaml',
    'config/crd/bases/kubernaut.ai_remediationrequests.yaml',
  ],
  deployments: [
    {
      id: 'effectivenessmonitor-controller',
      image: 'effectivenessmonitor',
      containerName: 'controller',
      dependsOn: ['datastorage', 'prometheus', 'alertmanager'],
      args: [`--config=${CONFIG_DIR}/${CONFIG_FILE}`],
      env: { TLS_CA_FILE },
      // The suite's Deployment names these two ports and no Service publishes them; ours is a ClusterIP Service.
      ports: [
        { name: 'metrics', port: 9090 },
        { name: 'health', port: 8081 },
      ],
      configFiles: [
        {
          name: 'effectivenessmonitor-config',
          mountPath: CONFIG_DIR,
          files: { [CONFIG_FILE]: { yaml: effectivenessMonitorConfig } },
        },
      ],
      volumes: [tlsCaVolume()],
      probes: {
        readiness: { ...CONTROLLER_PROBES.readiness, initialDelaySeconds: 5, periodSeconds: 5 },
        liveness: { ...CONTROLLER_PROBES.liveness, initialDelaySeconds: 10, periodSeconds: 10 },
      },
      resources: { requests: { memory: '64Mi', cpu: '50m' }, limits: { memory: '256Mi', cpu: '500m' } },
      clusterRules: [
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['effectivenessassessments'],
          verbs: [...read, 'update', 'patch'],
        },
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['effectivenessassessments/status'],
          verbs: ['get', 'update', 'patch'],
        },
        { apiGroups: ['kubernaut.ai'], resources: ['remediationrequests'], verbs: read },
        { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: read },
        {
          apiGroups: ['apps'],
          resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
          verbs: ['get', 'list'],
        },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
      clusterRoleBindings: ['data-storage-client'],
    },
  ],
});
