// This repository's project config: the services `pnpm e2e` knows, built from the bundled fixture project (a
// miniature of the kubernaut repository, laid out like it). `--project-root ~/src/kubernaut` runs the same
// declarations on a real checkout; a config inside the checkout would set `projectRoot: '.'`.
import { authWebhookService, authWebhookStack } from '@kubernaut-e2e/authwebhook';
import { dataStorageService, dataStorageStack } from '@kubernaut-e2e/datastorage';
import { gatewayService } from '@kubernaut-e2e/gateway';
import { notificationService } from '@kubernaut-e2e/notification';
import { type DeploymentSpec, defineConfig, defineService } from '@kubernaut-e2e/setup';

/**
 * A kubernaut controller as its suite deploys it: `cmd/<id>` built from its Dockerfile, metrics on 9090 and health on
 * 8081, each published through the node port the suite's kind config maps, ready on `/readyz`, RBAC on its kinds.
 */
function controller(
  id: string,
  publish: { health: number; metrics: number },
  dependsOn: string[],
  resources: string[],
): DeploymentSpec {
  return {
    id,
    image: id,
    dependsOn,
    ports: [
      { name: 'health', port: 8081 },
      { name: 'metrics', port: 9090 },
    ],
    publish: [
      { port: 'health', hostPort: 'health', nodePort: publish.health },
      { port: 'metrics', hostPort: 'metrics', nodePort: publish.metrics },
    ],
    probes: { readiness: { path: '/readyz', port: 'health' } },
    clusterRules: [
      {
        apiGroups: ['kubernaut.ai'],
        resources: resources.flatMap((r) => [r, `${r}/status`]),
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'],
      },
    ],
  };
}

// The host ports below are those of each suite's test/infrastructure/kind-<service>-config.yaml, so the setup finds
// them mapped there already; PostgreSQL's and the webhook's, which those files do not map, come from 1543x / 1844x.

const remediationOrchestratorService = defineService({
  name: 'remediationorchestrator',
  description: 'the remediation orchestrator, behind the auth webhook, on the DataStorage stack',
  pattern: 'hybrid', // where kubernaut's suite is today
  kindConfig: 'test/infrastructure/kind-remediationorchestrator-config.yaml',
  uses: [authWebhookStack],
  hostPorts: { health: 8183, metrics: 9183, datastorage: 8090, postgresql: 15434, webhook: 18444 },
  images: { remediationorchestrator: { dockerfile: 'docker/remediationorchestrator-controller.Dockerfile' } },
  deployments: [
    controller(
      'remediationorchestrator',
      { health: 30284, metrics: 30183 },
      ['datastorage', 'authwebhook'],
      [
        'remediationrequests',
        'remediationapprovalrequests',
        'signalprocessings',
        'aianalyses',
        'workflowexecutions',
        'notificationrequests',
      ],
    ),
  ],
});

const signalProcessingService = defineService({
  name: 'signalprocessing',
  description: 'the signal processing controller, on the DataStorage stack',
  pattern: 'hybrid',
  kindConfig: 'test/infrastructure/kind-signalprocessing-config.yaml',
  uses: [dataStorageStack],
  hostPorts: { health: 8082, metrics: 9182, datastorage: 30081, postgresql: 30432 },
  images: { signalprocessing: { dockerfile: 'docker/signalprocessing-controller.Dockerfile' } },
  crds: [
    'config/crd/bases/kubernaut.ai_signalprocessings.yaml',
    'config/crd/bases/kubernaut.ai_remediationrequests.yaml',
  ],
  deployments: [
    controller('signalprocessing', { health: 30082, metrics: 30182 }, ['datastorage'], ['signalprocessings']),
  ],
});

const workflowExecutionService = defineService({
  name: 'workflowexecution',
  description: 'the workflow execution controller, behind the auth webhook, on the DataStorage stack',
  pattern: 'hybrid',
  kindConfig: 'test/infrastructure/kind-workflowexecution-config.yaml',
  uses: [authWebhookStack],
  hostPorts: { health: 8085, metrics: 9185, datastorage: 8092, postgresql: 15435, webhook: 18445 },
  images: { workflowexecution: { dockerfile: 'docker/workflowexecution-controller.Dockerfile' } },
  crds: ['config/crd/bases/kubernaut.ai_workflowexecutions.yaml'],
  deployments: [
    controller(
      'workflowexecution',
      { health: 30085, metrics: 30185 },
      ['datastorage', 'authwebhook'],
      ['workflowexecutions'],
    ),
  ],
});

const aiAnalysisService = defineService({
  name: 'aianalysis',
  description: 'the AI analysis controller with the kubernaut agent and a mock LLM, on the DataStorage stack',
  kindConfig: 'test/infrastructure/kind-aianalysis-config.yaml',
  uses: [dataStorageStack],
  hostPorts: { health: 8184, metrics: 9184, agentHealth: 28088, datastorage: 8091, postgresql: 15436 },
  images: {
    aianalysis: { dockerfile: 'docker/aianalysis.Dockerfile' },
    kubernautagent: { dockerfile: 'docker/kubernautagent.Dockerfile' },
    'mock-llm': { dockerfile: 'test/services/mock-llm/go.Dockerfile' },
  },
  crds: [
    'config/crd/bases/kubernaut.ai_aianalyses.yaml',
    'config/crd/bases/kubernaut.ai_investigationsessions.yaml',
  ],
  deployments: [
    { id: 'mock-llm', image: 'mock-llm', ports: [{ name: 'http', port: 8080 }] },
    {
      id: 'kubernautagent',
      image: 'kubernautagent',
      dependsOn: ['datastorage', 'mock-llm'],
      ports: [
        { name: 'health', port: 8081 },
        { name: 'https', port: 8443 },
      ],
      publish: { port: 'health', hostPort: 'agentHealth', nodePort: 30188 },
      probes: { readiness: { path: '/readyz', port: 'health' } },
    },
    controller(
      'aianalysis',
      { health: 30284, metrics: 30184 },
      ['datastorage', 'kubernautagent'],
      ['aianalyses'],
    ),
  ],
});

export default defineConfig({
  projectRoot: 'services/fixture-project',
  services: [
    gatewayService,
    dataStorageService,
    notificationService,
    authWebhookService,
    remediationOrchestratorService,
    signalProcessingService,
    workflowExecutionService,
    aiAnalysisService,
  ],
});
