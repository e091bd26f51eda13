// The full pipeline's suite and the fleet suite built on it, as kubernaut runs them
// (`test/infrastructure/fullpipeline_e2e.go`, "fp" below, `fullpipeline_e2e_helm.go`, "fph", and `fleet_e2e.go`,
// "fl"; the suites are test/e2e/fullpipeline and test/e2e/fleet; at kubernaut
// d5a4a870967312d98dbc302ac2ae3505087bfcb0).
//
// Both install kubernaut with its Helm chart (`helm install kubernaut charts/kubernaut`, fph:858-1178, with its
// pre-install certificate hook and post-install migration Job). A declaration cannot install a Helm chart, so what is
// declared here is what the suites build and deploy around the chart: every image, the cluster with its ports, and
// the chart-external test infrastructure (fp:525-613). `up` leaves a cluster ready for the chart; the kubernaut
// services themselves are not there.
import { defineService, type ImageSpec, type ManifestSpec, type ServiceSpec } from '@kubernaut-e2e/setup';
import { dexCertificate, dexDeployment, dexImages } from './dex.js';
import {
  keycloakCertificate,
  keycloakDeployment,
  keycloakImages,
  keycloakRealmConfigMap,
} from './keycloak.js';
import { MOCK_LLM_DEPLOYMENTS, mockLlmConfigMaps } from './mock-llm.js';
import { alertManagerStack, prometheusStack } from './monitoring.js';
import { EXECUTION_NAMESPACE } from './workflowexecution.js';

/**
 * The 13 images the suite builds, three at a time (`fullPipelineImageConfigs`, fp:97-111), with its image names,
 * and the chart's migration image it builds besides (`ensureDBMigrateImage`, fph:140-167): all loaded into the
 * cluster for the chart (`preload`: no pod declared here runs them, but the shadow mock LLM runs `mock-llm`). The
 * suite then retags the chart's twelve to one shared tag (`ensureSharedChartImageTag`, fph:72-123); ours keep a tag
 * each.
 */
export const FULL_PIPELINE_IMAGES: Record<string, ImageSpec> = {
  gateway: { dockerfile: 'docker/gateway.Dockerfile', imageName: 'gateway', preload: true },
  signalprocessing: { dockerfile: 'docker/signalprocessing-controller.Dockerfile', preload: true },
  remediationorchestrator: {
    dockerfile: 'docker/remediationorchestrator-controller.Dockerfile',
    preload: true,
  },
  aianalysis: { dockerfile: 'docker/aianalysis.Dockerfile', preload: true },
  workflowexecution: { dockerfile: 'docker/workflowexecution-controller.Dockerfile', preload: true },
  notification: { dockerfile: 'docker/notification-controller.Dockerfile', preload: true },
  datastorage: { dockerfile: 'docker/data-storage.Dockerfile', preload: true },
  authwebhook: { dockerfile: 'docker/authwebhook.Dockerfile', imageName: 'authwebhook', preload: true },
  kubernautagent: { dockerfile: 'docker/kubernautagent.Dockerfile', preload: true },
  'mock-llm': { dockerfile: 'test/services/mock-llm/go.Dockerfile' },
  effectivenessmonitor: { dockerfile: 'docker/effectivenessmonitor-controller.Dockerfile', preload: true },
  apifrontend: { dockerfile: 'docker/apifrontend.Dockerfile', preload: true },
  fleetmetadatacache: { dockerfile: 'docker/fleetmetadatacache.Dockerfile', preload: true },
  'db-migrate': { dockerfile: 'docker/db-migrate.Dockerfile', imageName: 'db-migrate', preload: true },
};

/**
 * The execution namespace and the account the workflows' Jobs run as there (`createWorkflowJobExecutorRBAC`,
 * workflowexecution_e2e_hybrid.go:953-1006, called at fp:590-607).
 */
const jobExecutor: ManifestSpec = {
  id: 'workflow-job-executor',
  namespaced: false,
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: EXECUTION_NAMESPACE } },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'workflow-job-executor', namespace: EXECUTION_NAMESPACE },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'workflow-job-executor' },
      rules: [
        {
          apiGroups: ['apps'],
          resources: ['deployments', 'statefulsets', 'daemonsets'],
          verbs: ['get', 'list', 'patch'],
        },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'workflow-job-executor' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'workflow-job-executor' },
      subjects: [{ kind: 'ServiceAccount', name: 'workflow-job-executor', namespace: EXECUTION_NAMESPACE }],
    },
  ],
};

const shadow = MOCK_LLM_DEPLOYMENTS.find((d) => d.id === 'mock-llm-shadow')!;
const shadowConfig = mockLlmConfigMaps([]).filter((c) => c.name === 'mock-llm-shadow-config');

/** What the two suites declare alike: images, chart-external test infrastructure. */
function aroundTheChart(): Omit<ServiceSpec, 'name' | 'hostPorts'> {
  return {
    pattern: 'hybrid', // every image before the cluster (fp:153-205)
    kindConfig: 'test/infrastructure/kind-fullpipeline-config.yaml',
    uses: [prometheusStack, alertManagerStack],
    images: { ...FULL_PIPELINE_IMAGES, ...dexImages },
    certificates: [dexCertificate],
    configMaps: shadowConfig,
    manifests: [
      // Dex for the API frontend: the suite's file (`deployDexOIDCProviderForAF` applies
      // deploy/apifrontend/overlays/e2e/dex.yaml, fph:462); its Deployment and Service are declared below.
      { id: 'dex-config', from: 'deploy/apifrontend/overlays/e2e/dex.yaml', kinds: ['ConfigMap'] },
      jobExecutor,
    ],
    deployments: [shadow, dexDeployment({ liveness: false, dependsOn: ['dex-config'] })],
  };
}

/**
 * kubernaut's `fullpipeline-e2e` suite (suite_test.go:86, kubeconfig `~/.kube/fullpipeline-e2e-config`, :147): its
 * kind config (`test/infrastructure/kind-fullpipeline-config.yaml`: Prometheus on 9190, AlertManager on 9193, Dex on
 * 30556; the chart's gateway 30080, DataStorage 30081/30281, agent 8088 and frontend 30443 stay mapped for the
 * chart), the 13 images and `db-migrate`, Prometheus, AlertManager, Dex, the shadow mock LLM, and the execution
 * namespace's job account.
 */
export const fullPipelineService = defineService({
  name: 'fullpipeline',
  description:
    'the images, cluster and test infrastructure of the full pipeline (its Helm chart is not declarable)',
  cluster: { name: 'fullpipeline-e2e', kubeconfig: '~/.kube/fullpipeline-e2e-config' },
  hostPorts: { prometheus: 9190, alertmanager: 9193, dex: 30556 },
  ...aroundTheChart(),
});

/**
 * kubernaut's `fleet-e2e` suite (test/e2e/fleet/suite_test.go:111, kubeconfig `~/.kube/fleet-e2e-config`, :376;
 * skipped unless `FLEET_E2E=true`, :362): the full pipeline's setup with the fleet provisioner (fl:287-516), on the
 * same kind config, plus Keycloak (the `kubernaut-fleet` realm, node port 30557, fl:302-330). Not declarable: the
 * second cluster `fleet-e2e-remote` (`~/.kube/fleet-e2e-remote-config`), the API server's OIDC patch, the Kuadrant
 * MCP gateway on 31975 (Gateway API CRDs, Istio and Kuadrant from the internet) and kube-mcp-server.
 */
export const fleetService = defineService({
  name: 'fleet',
  description:
    'the full pipeline with Keycloak, for the fleet suite (its Helm chart and second cluster are not declarable)',
  cluster: { name: 'fleet-e2e', kubeconfig: '~/.kube/fleet-e2e-config' },
  hostPorts: { prometheus: 9190, alertmanager: 9193, dex: 30556, keycloak: 30557 },
  ...aroundTheChart(),
  certificates: [dexCertificate, keycloakCertificate],
  images: { ...FULL_PIPELINE_IMAGES, ...dexImages, ...keycloakImages },
  configMaps: [...shadowConfig, keycloakRealmConfigMap],
  deployments: [...aroundTheChart().deployments!, keycloakDeployment],
});
