// The API frontend's suite, as kubernaut runs it (`test/infrastructure/apifrontend_e2e.go`, "af" below; the suite is
// test/e2e/apifrontend; at kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type KubeObject } from '@kubernaut-e2e/core';
import { actionTypeSeed, dataStorageStack } from '@kubernaut-e2e/datastorage';
import { defineService, type ManifestSpec, type RunContext } from '@kubernaut-e2e/setup';
import { parse } from 'yaml';
import { TLS_CA_FILE } from './controller.js';
import { dexCertificate, dexDeployment, dexImages } from './dex.js';
import { kubernautAgent, kubernautAgentAuthMiddleware } from './kubernaut-agent.js';
import { KUBERNAUT_AGENT_WORKFLOWS } from './kubernautagent.js';
import { prometheusStack } from './monitoring.js';
import { workflowSeed } from './workflows.js';

const CONFIG_DIR = '/etc/apifrontend';
const OVERLAY = 'deploy/apifrontend/overlays/e2e';
const rbac = 'rbac.authorization.k8s.io';

/** The personas in the order the suite renders their roles (`personaOrder`, af:583-590). */
export const PERSONAS = [
  'sre',
  'ai-orchestrator',
  'cicd',
  'observability',
  'l3-audit',
  'remediation-approver',
];
export const PERSONA_VALUES = 'charts/kubernaut/values.yaml';

/**
 * Per persona, a ClusterRole allowing `use` of its tools (`kubernaut.ai/tools`, by name) and its binding to the Dex
 * group of the same name — from the chart's `apifrontend.config.rbac.personas`, as the suite derives them
 * (`PersonaToolClusterRolesYAML`, af:592-660).
 */
export function personaToolRoles(run: RunContext): KubeObject[] {
  const field = 'manifests.persona-tool-rbac';
  let personas: Record<string, string[]> | undefined;
  try {
    const values = parse(readFileSync(join(run.projectRoot, PERSONA_VALUES), 'utf8')) as {
      apifrontend?: { config?: { rbac?: { personas?: Record<string, string[]> } } };
    };
    personas = values?.apifrontend?.config?.rbac?.personas;
  } catch (error) {
    throw ConfigError.field(
      field,
      `cannot read ${PERSONA_VALUES} in ${run.projectRoot}: ${(error as Error).message}`,
    );
  }
  return PERSONAS.flatMap((name) => {
    const tools = personas?.[name];
    if (!tools)
      throw ConfigError.field(field, `${PERSONA_VALUES} has no apifrontend.config.rbac.personas.${name}`);
    return [
      {
        apiVersion: `${rbac}/v1`,
        kind: 'ClusterRole',
        metadata: { name: `kubernaut-tool-${name}` },
        rules: [{ apiGroups: ['kubernaut.ai'], resources: ['tools'], verbs: ['use'], resourceNames: tools }],
      },
      {
        apiVersion: `${rbac}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: { name: `kubernaut-tool-${name}-binding` },
        roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: `kubernaut-tool-${name}` },
        subjects: [{ kind: 'Group', name, apiGroup: rbac }],
      },
    ];
  });
}

/**
 * The frontend's account and what it may do (`afDeployE2ERBAC`, af:799-838; `afBindServiceAccountToDSClient`,
 * af:672-687): the ServiceAccount `apifrontend`, the repository's `deploy/apifrontend/base/02-rbac.yaml`, the
 * persona roles, the E2E users' `deploy/apifrontend/overlays/e2e/e2e-user-rbac.yaml`, and the ClusterRoleBinding
 * `apifrontend-ds-client` to DataStorage's client role.
 */
const frontendRbac: ManifestSpec[] = [
  {
    id: 'apifrontend-account',
    dependsOn: ['datastorage-client-role'],
    objects: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'apifrontend' } },
      {
        apiVersion: `${rbac}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: { name: 'apifrontend-ds-client' },
        roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'data-storage-client' },
        subjects: [{ kind: 'ServiceAccount', name: 'apifrontend' }],
      },
    ],
  },
  {
    id: 'apifrontend-rbac',
    from: 'deploy/apifrontend/base/02-rbac.yaml',
    dependsOn: ['apifrontend-account'],
  },
  { id: 'persona-tool-rbac', objects: personaToolRoles },
  { id: 'e2e-user-rbac', from: `${OVERLAY}/e2e-user-rbac.yaml` },
];

/**
 * kubernaut's `apifrontend-e2e` suite (e2e_suite_test.go:30, kubeconfig `~/.kube/apifrontend-e2e-config`, :53) in
 * `kubernaut-system`: the kubernautagent suite's kind config, which it reuses (af:139-151: the frontend on 18443
 * and its health on 18081, DataStorage on 8089 — node port 30089, af:190 — the agent on 8088/28088/9088,
 * Prometheus 9190, Dex 5556), the DataStorage stack, the repository's mock LLM manifest with the built image
 * (af:706-719), the Kubernaut Agent, Dex from the repository's `dex.yaml`, the frontend's RBAC, the ActionTypes and
 * workflows registered by status, and the frontend reading `/etc/apifrontend/config.yaml` — the repository's
 * `deploy/apifrontend/overlays/e2e/config.yaml` (af:401-577). Prometheus is the suite's own (e2e_suite_test.go:67).
 */
export const apiFrontendService = defineService({
  name: 'apifrontend',
  description: 'the API frontend with the Kubernaut Agent, Dex, Prometheus and a mock LLM, on DataStorage',
  pattern: 'hybrid', // images built before the cluster (af:97-133)
  cluster: { name: 'apifrontend-e2e', kubeconfig: '~/.kube/apifrontend-e2e-config' },
  kindConfig: 'test/infrastructure/kind-kubernautagent-config.yaml',
  uses: [dataStorageStack, prometheusStack],
  // The file also maps AlertManager's 9193 (not deployed here) and the unused 30439/30387.
  hostPorts: {
    apifrontend: 18443,
    apifrontendHealth: 18081,
    datastorage: 8089,
    datastorageHealth: 28089,
    agent: 8088,
    agentHealth: 28088,
    agentMetrics: 9088,
    prometheus: 9190,
    dex: 5556,
  },
  nodePorts: { datastorage: 30089 },
  images: {
    apifrontend: { dockerfile: 'docker/apifrontend.Dockerfile' },
    kubernautagent: { dockerfile: 'docker/kubernautagent.Dockerfile' },
    'mock-llm': { dockerfile: 'test/services/mock-llm/go.Dockerfile' },
    ...dexImages,
  },
  // Applied first (af:767-786), then the whole directory, as the DataStorage stack does.
  crds: [
    'config/crd/bases/kubernaut.ai_investigationsessions.yaml',
    'config/crd/bases/kubernaut.ai_remediationrequests.yaml',
    'config/crd/bases/kubernaut.ai_remediationapprovalrequests.yaml',
  ],
  certificates: [
    { secret: 'kubernautagent-tls', serves: 'kubernaut-agent' },
    { secret: 'apifrontend-tls', serves: 'apifrontend' },
    dexCertificate,
  ],
  secrets: [{ name: 'apifrontend-llm-key', files: { 'llm-api-key': { text: 'mock-key' } } }],
  manifests: [
    {
      id: 'mock-llm',
      from: `${OVERLAY}/mock-llm.yaml`,
      images: { 'ghcr.io/jordigilh/kubernaut/mock-llm': 'mock-llm' },
    },
    // Dex's config from the suite's file; its Deployment and Service are declared below (`dexDeployment`).
    { id: 'dex-config', from: `${OVERLAY}/dex.yaml`, kinds: ['ConfigMap'] },
    kubernautAgentAuthMiddleware,
    ...frontendRbac,
  ],
  seeds: [
    actionTypeSeed(['datastorage']),
    workflowSeed(KUBERNAUT_AGENT_WORKFLOWS, ['datastorage', 'action-types']),
  ],
  deployments: [
    dexDeployment({ liveness: false, dependsOn: ['dex-config'] }),
    kubernautAgent({
      // The mock is the repository manifest's and there is no shadow: the agent's config names them as the Go
      // setup writes it.
      llmUrls: () => ({ mockLlm: 'http://mock-llm:8080', shadow: 'http://mock-llm-shadow:8080' }),
      dependsOn: ['datastorage', 'mock-llm', 'kubernaut-agent-auth-middleware', 'dex'],
      // What the suite ends with: it starts the agent without an issuer, then, once Dex is up, inserts this one (the
      // frontend's audience) into the agent's ConfigMap and restarts it (`afPatchKAJWTAudience`, af:721-765).
      jwtProviders: [
        {
          name: 'dex-e2e',
          issuer: 'https://dex:5556/dex',
          jwksURL: 'https://dex:5556/dex/keys',
          audience: 'kubernaut-apifrontend',
          tlsCaFile: TLS_CA_FILE,
          claimMappings: { username: 'email', groups: 'groups' },
        },
      ],
    }),
    {
      id: 'apifrontend',
      image: 'apifrontend',
      serviceAccount: 'apifrontend',
      dependsOn: [
        'datastorage',
        'kubernaut-agent',
        'dex',
        'apifrontend-rbac',
        'persona-tool-rbac',
        'e2e-user-rbac',
      ],
      fieldEnv: { POD_NAME: 'metadata.name', POD_NAMESPACE: 'metadata.namespace' },
      ports: [
        { name: 'https', port: 8443, tls: true, nodePort: 30443 },
        { name: 'metrics', port: 9090 },
        { name: 'health', port: 8081, nodePort: 30081 },
      ],
      publish: [
        { port: 'https', hostPort: 'apifrontend', endpoint: 'apifrontendUrl' },
        { port: 'health', hostPort: 'apifrontendHealth', endpoint: 'apifrontendHealthUrl' },
      ],
      configFiles: [
        {
          name: 'apifrontend-config',
          mountPath: CONFIG_DIR,
          files: { 'config.yaml': { file: `${OVERLAY}/config.yaml` } },
        },
      ],
      volumes: [
        { name: 'tls-certs', mountPath: `${CONFIG_DIR}/tls`, source: { secret: 'apifrontend-tls' } },
        {
          name: 'inter-service-ca',
          mountPath: `${CONFIG_DIR}/inter-service-ca`,
          source: { configMap: 'inter-service-ca' },
        },
        {
          name: 'llm-credentials',
          mountPath: `${CONFIG_DIR}/llm-credentials`,
          source: { secret: 'apifrontend-llm-key' },
        },
      ],
      probes: {
        readiness: { path: '/readyz', port: 'health', initialDelaySeconds: 10, periodSeconds: 5 },
        liveness: { path: '/healthz', port: 'health', initialDelaySeconds: 30, periodSeconds: 15 },
      },
      resources: { requests: { memory: '64Mi', cpu: '50m' }, limits: { memory: '256Mi', cpu: '500m' } },
    },
  ],
});
