// The mock LLM and its shadow, as kubernaut's aianalysis suite deploys them (`DeployMockLLMInNamespace`,
// `DeployMockLLMShadowInNamespace`, `test/infrastructure/shared_e2e.go:665-1150` at kubernaut
// d5a4a870967312d98dbc302ac2ae3505087bfcb0).
import type { DeploymentSpec, RunContext } from '@kubernaut-e2e/setup';
import { readWorkflows } from './workflows.js';

/**
 * The environments each workflow is seeded for, the scenario keys' suffixes: the aianalysis suite's
 * (`aianalysis_e2e.go:364-383`); the kubernautagent and apifrontend suites seed staging and production only
 * (`GetKAE2ETestWorkflows`, `ka_e2e_helpers.go:196-206`).
 */
export const AIANALYSIS_ENVIRONMENTS = ['staging', 'production', 'test'] as const;

const podTool = (name: string) => ({
  name,
  arguments: { kind: 'Pod', name: 'api-server-abc', namespace: 'production' },
});

/**
 * `scenarios.yaml`: each seeded workflow's id under `<workflow>:<environment>`, production last (the mock keeps the
 * last match, `SortedWorkflowUUIDKeys`), and the two tool-call scenarios. The apifrontend keyword scenarios the
 * shared Go function always appends are left out: no apifrontend runs in this suite.
 */
export function mockLlmScenarios(
  run: RunContext,
  workflowDirs: readonly string[],
  environments: readonly string[] = AIANALYSIS_ENVIRONMENTS,
) {
  const workflows = readWorkflows(run, workflowDirs, 'configMaps.mock-llm-scenarios');
  const keyed = workflows.flatMap((w) =>
    environments.map((env) => [`${w.object.metadata.name}:${env}`, { workflow_id: w.workflowId }] as const),
  );
  const production = (key: string) => key.endsWith(':production');
  keyed.sort(([a], [b]) => Number(production(a)) - Number(production(b)) || (a < b ? -1 : a > b ? 1 : 0));
  return {
    scenarios: {
      ...Object.fromEntries(keyed),
      injection_configmap_read: {
        force_text: false,
        tool_call: {
          name: 'kubectl_get_yaml',
          arguments: { kind: 'ConfigMap', name: 'poisoned-cm', namespace: run.namespace },
        },
      },
      parallel_tools: {
        force_text: false,
        tool_calls: [podTool('kubectl_describe'), podTool('kubectl_events'), podTool('kubectl_logs')],
      },
    },
  };
}

const health = (initialDelaySeconds: number, periodSeconds: number) => ({
  path: '/health',
  port: 'http',
  initialDelaySeconds,
  periodSeconds,
  timeoutSeconds: 3,
  failureThreshold: 3,
});

/** A mock LLM on 8080 reading its scenarios from `/config/scenarios.yaml`. */
function mockLlm(
  id: string,
  configMap: string,
  env: Record<string, string>,
  probes: DeploymentSpec['probes'],
  resources: DeploymentSpec['resources'],
): DeploymentSpec {
  return {
    id,
    image: 'mock-llm',
    env: {
      MOCK_LLM_HOST: '0.0.0.0',
      MOCK_LLM_PORT: '8080',
      ...env,
      MOCK_LLM_CONFIG_PATH: '/config/scenarios.yaml',
    },
    ports: [{ name: 'http', port: 8080 }],
    volumes: [{ name: 'scenarios-config', mountPath: '/config', source: { configMap } }],
    probes,
    resources,
  };
}

/** The mock answering the agent's investigations, and the shadow it checks their alignment with. */
export const MOCK_LLM_DEPLOYMENTS: DeploymentSpec[] = [
  mockLlm(
    'mock-llm',
    'mock-llm-scenarios',
    { MOCK_LLM_MODE: 'full', MOCK_LLM_FORCE_TEXT: 'true' },
    { readiness: health(5, 5), liveness: health(10, 10) },
    { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  ),
  mockLlm(
    'mock-llm-shadow',
    'mock-llm-shadow-config',
    { MOCK_LLM_FORCE_TEXT: 'false' },
    { readiness: health(3, 5), liveness: health(5, 10) },
    { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
  ),
];

/** The two mocks' ConfigMaps; the scenarios name the workflows seeded from `workflowDirs`. */
export function mockLlmConfigMaps(
  workflowDirs: readonly string[],
  environments: readonly string[] = AIANALYSIS_ENVIRONMENTS,
) {
  return [
    {
      name: 'mock-llm-scenarios',
      files: {
        'scenarios.yaml': { yaml: (run: RunContext) => mockLlmScenarios(run, workflowDirs, environments) },
      },
    },
    {
      name: 'mock-llm-shadow-config',
      files: { 'scenarios.yaml': { yaml: { mode: 'shadow', scenarios: {} } } },
    },
  ];
}
