// The remediation orchestrator's suite, as kubernaut runs it (`test/infrastructure/remediationorchestrator_e2e_hybrid.go`,
// "hyb" below, at kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0).
import { authWebhookStack } from '@kubernaut-e2e/authwebhook';
import { actionTypeSeed } from '@kubernaut-e2e/datastorage';
import { defineService, type RunContext } from '@kubernaut-e2e/setup';
import { controllerDeployment, controllerSection, dataStorageSection } from './controller.js';

const CONFIG_DIR = '/etc/config';
const CONFIG_FILE = 'remediationorchestrator.yaml';

/**
 * `remediationorchestrator.yaml` (hyb:602-627) with the keys of `internal/config/remediationorchestrator/config.go`:
 * approvals time out after 3 s and verification after 5 s (the suite passes `verifyingTimeout` "5s", hyb:357), the
 * effectiveness assessment waits 10 s. The dry-run test appends `dryRun`/`dryRunHoldPeriod` to this ConfigMap key.
 */
export function remediationOrchestratorConfig(run: RunContext) {
  return {
    controller: controllerSection('remediationorchestrator.kubernaut.ai'),
    timeouts: {
      global: '1h',
      processing: '5m',
      analyzing: '10m',
      executing: '30m',
      awaitingApproval: '3s',
      verifying: '5s',
    },
    datastorage: dataStorageSection(run),
    effectivenessAssessment: { stabilizationWindow: '10s' },
  };
}

const read = ['get', 'list', 'watch'];
const write = [...read, 'create', 'update', 'patch'];
const kubernaut = (resources: string[], verbs: string[]) => ({
  apiGroups: ['kubernaut.ai'],
  resources,
  verbs,
});
const children = [
  'signalprocessings',
  'aianalyses',
  'workflowexecutions',
  'notificationrequests',
  'effectivenessassessments',
];

/**
 * kubernaut's `ro-e2e` suite: its kind config (`test/infrastructure/kind-remediationorchestrator-config.yaml`:
 * DataStorage on 8090, metrics on 9183, "health" on 8183), the DataStorage stack and the auth webhook, every CRD,
 * the 11 ActionTypes registered once DataStorage is ready (`SeedActionTypesViaCRD`), and the controller reading
 * `/etc/config/remediationorchestrator.yaml`, bound to `data-storage-client` for its audit writes.
 */
export const remediationOrchestratorService = defineService({
  name: 'remediationorchestrator',
  description: 'the remediation orchestrator, behind the auth webhook, on the DataStorage stack',
  pattern: 'hybrid', // where kubernaut's suite is today
  cluster: { name: 'ro-e2e', kubeconfig: '~/.kube/ro-e2e-config' },
  kindConfig: 'test/infrastructure/kind-remediationorchestrator-config.yaml',
  uses: [authWebhookStack],
  // The kind config also maps 30083 ("API", nothing behind it): kind publishes it as the file says.
  hostPorts: { datastorage: 8090, datastorageHealth: 30281, metrics: 9183, health: 8183 },
  images: {
    remediationorchestrator: { dockerfile: 'docker/remediationorchestrator-controller.Dockerfile' },
  },
  // hyb:169-194 applies nine CRDs, then the auth webhook's setup the whole directory, as the stacks do.
  seeds: [actionTypeSeed(['datastorage'])],
  deployments: [
    controllerDeployment({
      id: 'remediationorchestrator-controller',
      image: 'remediationorchestrator',
      dependsOn: ['datastorage'],
      args: [`--config=${CONFIG_DIR}/${CONFIG_FILE}`],
      // The suite's Service publishes only metrics (30183); 30284 is where its kind config maps "health".
      nodePorts: { metrics: 30183, health: 30284 },
      configFiles: [
        {
          name: 'remediationorchestrator-config',
          mountPath: CONFIG_DIR,
          files: { [CONFIG_FILE]: { yaml: remediationOrchestratorConfig } },
        },
      ],
      clusterRules: [
        kubernaut(['remediationrequests', 'remediationapprovalrequests'], [...write, 'delete']),
        kubernaut(
          ['remediationrequests/status', 'remediationapprovalrequests/status'],
          ['get', 'update', 'patch'],
        ),
        kubernaut(children, write),
        kubernaut(
          children.map((c) => `${c}/status`),
          ['get'],
        ),
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        // Metadata-only informers for scope labels, cluster-scoped kinds included.
        {
          apiGroups: [''],
          resources: [
            'pods',
            'nodes',
            'services',
            'configmaps',
            'secrets',
            'namespaces',
            'persistentvolumes',
          ],
          verbs: read,
        },
        {
          apiGroups: ['apps'],
          resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
          verbs: read,
        },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: read },
        { apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: read },
      ],
      clusterRoleBindings: ['data-storage-client'],
    }),
  ],
});
