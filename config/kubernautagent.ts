// The Kubernaut Agent's own suite, as kubernaut runs it (`test/infrastructure/kubernautagent.go`, "ka" below, and
// `shared_e2e.go`, "sh"; the suite is test/e2e/kubernautagent; at kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0).
import { actionTypeSeed, dataStorageStack } from '@kubernaut-e2e/datastorage';
import { defineService, type ManifestSpec } from '@kubernaut-e2e/setup';
import { TLS_CA_FILE } from './controller.js';
import { dexCertificate, dexDeployment, dexImages, kubernautAgentDexConfig } from './dex.js';
import { kubernautAgent, kubernautAgentAuthMiddleware } from './kubernaut-agent.js';
import { MOCK_LLM_DEPLOYMENTS, mockLlmConfigMaps } from './mock-llm.js';
import { alertManagerStack, prometheusStack } from './monitoring.js';
import { workflowSeed } from './workflows.js';

/** Where the suite deploys everything: its own namespace (suite_test.go:75, `sharedNamespace`). */
export const KUBERNAUT_AGENT_NAMESPACE = 'kubernaut-agent-e2e';

/**
 * The workflows the kubernautagent and apifrontend suites seed (`GetKAE2ETestWorkflows`, ka_e2e_helpers.go:124-206,
 * each for staging and production), by fixture directory: the workflow id without its version suffix
 * (`workflowIDToImageName`, workflow_seeding.go:38).
 */
export const KUBERNAUT_AGENT_WORKFLOWS = [
  'oomkill-increase-memory',
  'memory-optimize',
  'crashloop-config-fix',
  'node-drain-reboot',
  'image-pull-backoff-fix-credentials',
  'generic-restart',
  'param-validation-test',
  'ambiguous-kind-fix',
  'istio-authz-fix',
];
export const KUBERNAUT_AGENT_ENVIRONMENTS = ['staging', 'production'];

const serviceCreateGet = {
  apiGroups: [''],
  resources: ['services'],
  resourceNames: ['kubernaut-agent'],
  verbs: ['create', 'get'],
};
const rbac = 'rbac.authorization.k8s.io';

/**
 * The accounts the tests call the agent as: `kubernaut-agent-e2e-sa`, allowed `create`/`get` on the agent's Service
 * (the agent's SubjectAccessReview) and bound to `data-storage-client` (sh:91-154, `createKAE2EClientRBAC`
 * ka:728); and the Dex user `e2e-user@kubernaut.test`, allowed the same (`createDexUserRBAC`, dex_e2e.go:290-337).
 * The suite's second account, `kubernaut-agent-e2e-sa-2`, is made without RBAC by its own code (suite_test.go:182).
 */
const e2eClients: ManifestSpec = {
  id: 'e2e-clients',
  dependsOn: ['datastorage-client-role'],
  objects: [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kubernaut-agent-e2e-sa' } },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'Role',
      metadata: { name: 'kubernaut-agent-e2e-client-access' },
      rules: [serviceCreateGet],
    },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'kubernaut-agent-e2e-client-access' },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'kubernaut-agent-e2e-client-access' },
      subjects: [{ kind: 'ServiceAccount', name: 'kubernaut-agent-e2e-sa' }],
    },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'kubernaut-agent-e2e-sa-datastorage-access' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'data-storage-client' },
      subjects: [{ kind: 'ServiceAccount', name: 'kubernaut-agent-e2e-sa' }],
    },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'Role',
      metadata: { name: 'dex-e2e-user-ka-access' },
      rules: [serviceCreateGet],
    },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'dex-e2e-user-ka-access' },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'dex-e2e-user-ka-access' },
      subjects: [{ kind: 'User', name: 'e2e-user@kubernaut.test', apiGroup: rbac }],
    },
  ],
};

const testWidgetCrd = (group: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `testwidgets.${group}` },
  spec: {
    group,
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } },
        },
      },
    ],
    scope: 'Namespaced',
    names: { plural: 'testwidgets', singular: 'testwidget', kind: 'TestWidget' },
  },
});

/**
 * Two CRDs of kind `TestWidget` in two groups, so the agent's REST mapper finds the kind ambiguous (the apiVersion
 * gate tests), installed before the agent starts (`createAmbiguousKindCRDs`, ka:589-726).
 */
const ambiguousKindCrds: ManifestSpec = {
  id: 'ambiguous-kind-crds',
  objects: [testWidgetCrd('alpha.kubernaut-test.ai'), testWidgetCrd('beta.kubernaut-test.ai')],
};

/**
 * kubernaut's `kubernaut-agent-e2e` suite (suite_test.go:107, kubeconfig `~/.kube/kubernaut-agent-e2e-config`,
 * :110), everything in the namespace `kubernaut-agent-e2e`: its kind config
 * (`test/infrastructure/kind-kubernautagent-config.yaml`: the agent on 8088/28088/9088, DataStorage on 8089 — node
 * port 30089, ka:181 — and its health on 28089, Prometheus 9190, AlertManager 9193, Dex 5556), the DataStorage
 * stack, the ActionTypes and nine workflows registered by status, the mock LLM and its shadow, the ambiguous-kind
 * CRDs, Prometheus and AlertManager, Dex (ready before the agent, which pre-warms its JWKS, ka:280-297), and the
 * agent trusting Dex's tokens for the audience `kubernaut-agent` (ka:903-914).
 */
export const kubernautAgentService = defineService({
  name: 'kubernautagent',
  description: 'the Kubernaut Agent with Dex, Prometheus, AlertManager and a mock LLM, on DataStorage',
  pattern: 'hybrid', // images built before the cluster (ka:58-126)
  namespace: KUBERNAUT_AGENT_NAMESPACE,
  cluster: { name: 'kubernaut-agent-e2e', kubeconfig: '~/.kube/kubernaut-agent-e2e-config' },
  kindConfig: 'test/infrastructure/kind-kubernautagent-config.yaml',
  uses: [dataStorageStack, prometheusStack, alertManagerStack],
  // The kind config also maps 30439 and 30387 (PostgreSQL and Redis, which are not there: PostgreSQL is on 30432,
  // Redis has no node port) and 18443/18081 (the apifrontend suite's, which reuses this file).
  hostPorts: {
    datastorage: 8089,
    datastorageHealth: 28089,
    agent: 8088,
    agentHealth: 28088,
    agentMetrics: 9088,
    prometheus: 9190,
    alertmanager: 9193,
    dex: 5556,
  },
  nodePorts: { datastorage: 30089 },
  images: {
    kubernautagent: { dockerfile: 'docker/kubernautagent.Dockerfile' },
    'mock-llm': { dockerfile: 'test/services/mock-llm/go.Dockerfile' },
    ...dexImages,
  },
  certificates: [{ secret: 'kubernautagent-tls', serves: 'kubernaut-agent' }, dexCertificate],
  configMaps: [
    ...mockLlmConfigMaps(KUBERNAUT_AGENT_WORKFLOWS, KUBERNAUT_AGENT_ENVIRONMENTS),
    { name: 'dex-config', files: { 'config.yaml': { yaml: kubernautAgentDexConfig } } },
  ],
  manifests: [kubernautAgentAuthMiddleware, e2eClients, ambiguousKindCrds],
  seeds: [
    actionTypeSeed(['datastorage']),
    workflowSeed(KUBERNAUT_AGENT_WORKFLOWS, ['datastorage', 'action-types']),
    {
      id: 'test-widget',
      dependsOn: ['ambiguous-kind-crds'],
      objects: [
        {
          apiVersion: 'alpha.kubernaut-test.ai/v1',
          kind: 'TestWidget',
          metadata: { name: 'test-widget-instance', namespace: 'default' },
          spec: {},
        },
      ],
    },
    // Not seeded: the enrichment fixtures (`createEnrichmentFixtures`, ka:360-583, pause pods in production, staging
    // and default), as in the aianalysis declaration.
  ],
  deployments: [
    ...MOCK_LLM_DEPLOYMENTS,
    dexDeployment({ liveness: true }),
    kubernautAgent({
      dependsOn: [
        'datastorage',
        'mock-llm',
        'mock-llm-shadow',
        'kubernaut-agent-auth-middleware',
        'ambiguous-kind-crds',
        'prometheus',
        'alertmanager',
        'dex',
      ],
      jwtProviders: [
        {
          name: 'dex-e2e',
          issuer: 'https://dex:5556/dex',
          jwksURL: 'https://dex:5556/dex/keys',
          audience: 'kubernaut-agent',
          tlsCaFile: TLS_CA_FILE,
          claimMappings: { username: 'email', groups: 'groups' },
        },
      ],
    }),
  ],
});
