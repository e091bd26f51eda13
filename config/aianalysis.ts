// The AI analysis controller's suite, as kubernaut runs it (`test/infrastructure/aianalysis_e2e.go`, "aa" below, at
// kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0).
import { actionTypeSeed, dataStorageStack } from '@kubernaut-e2e/datastorage';
import { defineService, type RunContext } from '@kubernaut-e2e/setup';
import { controllerDeployment, controllerSection, dataStorageSection } from './controller.js';
import { kubernautAgentAuthMiddleware, kubernautAgentDeployment } from './kubernaut-agent.js';
import { MOCK_LLM_DEPLOYMENTS, mockLlmConfigMaps } from './mock-llm.js';
import { workflowSeed } from './workflows.js';

const CONFIG_DIR = '/etc/aianalysis';

/**
 * The workflows the suite seeds (aa:364-383: each for staging, production and test), by fixture directory: the
 * workflow id without its `-v1`.
 */
export const AIANALYSIS_WORKFLOWS = [
  'oomkill-increase-memory',
  'crashloop-config-fix',
  'node-drain-reboot',
  'memory-optimize',
  'generic-restart',
  'test-signal-handler',
];

/**
 * `config.yaml` (aa:598-618) with the keys of `internal/config/aianalysis/config.go`. The suite's `agent:` block
 * (url, timeout, sessionPollInterval) is left out: the struct no longer has it, the controller reaches the agent
 * through AgentSession resources.
 */
export function aiAnalysisConfig(run: RunContext) {
  return {
    controller: controllerSection('aianalysis.kubernaut.ai'),
    datastorage: dataStorageSection(run, {
      bufferSize: 20000,
      batchSize: 1000,
      flushInterval: '1s',
      maxRetries: 3,
    }),
    rego: { policyPath: `${CONFIG_DIR}/policies/approval.rego`, confidenceThreshold: 0.9 },
  };
}

/**
 * kubernaut's `aianalysis-e2e` suite: its kind config (`test/infrastructure/kind-aianalysis-config.yaml`: the
 * controller's metrics on 9184 and health on 8184, the agent on 8088/28088/9088, DataStorage on 8091), the
 * DataStorage stack, the ActionTypes and the six workflows registered by status (no auth webhook here), the mock LLM
 * whose scenarios name those workflows' ids, its shadow, the Kubernaut Agent, and the controller with its approval
 * policy — the repository's test policy, which differs from the one the suite writes inline in Go (see the README's
 * table).
 */
export const aiAnalysisService = defineService({
  name: 'aianalysis',
  description: 'the AI analysis controller with the Kubernaut Agent and a mock LLM, on the DataStorage stack',
  pattern: 'hybrid', // images built before the cluster (aa:57-173)
  cluster: { name: 'aianalysis-e2e', kubeconfig: '~/.kube/aianalysis-e2e-config' },
  kindConfig: 'test/infrastructure/kind-aianalysis-config.yaml',
  uses: [dataStorageStack],
  // The kind config also maps 30084 (the controller's "api" port, where nothing listens).
  hostPorts: {
    datastorage: 8091,
    datastorageHealth: 30281,
    metrics: 9184,
    health: 8184,
    agent: 8088,
    agentHealth: 28088,
    agentMetrics: 9088,
  },
  images: {
    aianalysis: { dockerfile: 'docker/aianalysis.Dockerfile' },
    kubernautagent: { dockerfile: 'docker/kubernautagent.Dockerfile' },
    'mock-llm': { dockerfile: 'test/services/mock-llm/go.Dockerfile' },
  },
  // Applied first (aa:189-197), then the whole directory, as the DataStorage stack does (AgentSession included).
  crds: [
    'config/crd/bases/kubernaut.ai_aianalyses.yaml',
    'config/crd/bases/kubernaut.ai_investigationsessions.yaml',
  ],
  certificates: [{ secret: 'kubernautagent-tls', serves: 'kubernaut-agent' }],
  configMaps: [
    {
      name: 'aianalysis-policies',
      files: { 'approval.rego': { file: 'pkg/aianalysis/testdata/policies/approval.rego' } },
    },
    ...mockLlmConfigMaps(AIANALYSIS_WORKFLOWS),
  ],
  manifests: [kubernautAgentAuthMiddleware],
  seeds: [
    actionTypeSeed(['datastorage']),
    workflowSeed(AIANALYSIS_WORKFLOWS, ['datastorage', 'action-types']),
    // Not seeded: the workloads the agent's enrichment looks up (`createEnrichmentFixtures`, kubernautagent.go:360-583,
    // pause containers in the namespaces production, staging and default). A seed cannot name the image its pods
    // run, and the run refuses a container whose image no component declares.
  ],
  deployments: [
    ...MOCK_LLM_DEPLOYMENTS,
    kubernautAgentDeployment,
    controllerDeployment({
      id: 'aianalysis-controller',
      image: 'aianalysis',
      containerName: 'aianalysis',
      dependsOn: ['datastorage'],
      env: { CONFIG_PATH: `${CONFIG_DIR}/config.yaml` },
      args: ['-config', '$(CONFIG_PATH)'],
      nodePorts: { metrics: 30184, health: 30284 },
      configFiles: [
        {
          name: 'aianalysis-config',
          mountPath: CONFIG_DIR,
          files: { 'config.yaml': { yaml: aiAnalysisConfig } },
        },
      ],
      volumes: [
        {
          name: 'rego-policies',
          mountPath: `${CONFIG_DIR}/policies`,
          source: { configMap: 'aianalysis-policies' },
        },
      ],
      // The suite probes /healthz, not /readyz: DataStorage's reachability does not hold the controller back.
      probes: {
        readiness: {
          path: '/healthz',
          port: 'health',
          initialDelaySeconds: 30,
          periodSeconds: 5,
          timeoutSeconds: 3,
          failureThreshold: 3,
        },
      },
      clusterRules: [
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['aianalyses'],
          verbs: ['get', 'list', 'watch', 'update', 'patch'],
        },
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['aianalyses/status', 'investigationsessions/status'],
          verbs: ['get', 'update', 'patch'],
        },
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['investigationsessions'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['agentsessions'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
        },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
      clusterRoleBindings: ['data-storage-client'],
    }),
  ],
});
