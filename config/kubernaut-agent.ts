// The Kubernaut Agent as kubernaut's aianalysis suite deploys it (`DeployKubernautAgentServiceRBAC` and
// `DeployKubernautAgentOnly` with JWT off, `test/infrastructure/kubernautagent.go:730-1128` at kubernaut
// d5a4a870967312d98dbc302ac2ae3505087bfcb0). Keys checked against `internal/kubernautagent/config/config_types.go`.
import type { DeploymentSpec, ManifestSpec, RunContext } from '@kubernaut-e2e/setup';
import { TLS_CA_FILE, tlsCaVolume } from './controller.js';

const CONFIG_DIR = '/etc/kubernautagent';
const RUNTIME_DIR = `${CONFIG_DIR}/llm-runtime`;
const SERVICE_ACCOUNT = 'kubernaut-agent-sa';

/** A JWT issuer the agent's interactive API trusts (`interactive.jwtProviders`, kubernautagent.go:903-914). */
export type JwtProvider = {
  readonly name: string;
  readonly issuer: string;
  readonly jwksURL: string;
  readonly audience: string;
  readonly tlsCaFile: string;
  readonly claimMappings: { readonly username: string; readonly groups: string };
};

/** What differs between the suites that deploy the agent. */
export interface KubernautAgentOptions {
  /**
   * The LLMs' URLs: the mock's and the shadow's. Default: the run's `mock-llm` and `mock-llm-shadow` deployments.
   * The apifrontend suite applies its mock from a repository file and runs no shadow: it names them as the Go
   * config does (`http://mock-llm:8080`, `http://mock-llm-shadow:8080`).
   */
  readonly llmUrls?: (run: RunContext) => { readonly mockLlm: string; readonly shadow: string };
  /** `interactive.jwtProviders` (the kubernautagent suite's Dex issuer); none when omitted. */
  readonly jwtProviders?: readonly JwtProvider[];
  /** Components the agent starts after (the mocks, DataStorage, its auth middleware binding by default). */
  readonly dependsOn?: readonly string[];
}

const runLlms = (run: RunContext) => ({ mockLlm: run.url('mock-llm'), shadow: run.url('mock-llm-shadow') });

/** `config.yaml`: the agent's server, audit, the two mock LLMs, DataStorage, and interactive sessions. */
export function kubernautAgentConfig(run: RunContext, options: KubernautAgentOptions = {}) {
  const dataStorage = run.url('datastorage', 'https');
  const llms = (options.llmUrls ?? runLlms)(run);
  return {
    runtime: {
      logging: { level: 'debug' },
      session: { ttl: '5m', maxConcurrentInvestigations: 50 },
      // Serves HTTPS from the `kubernautagent-tls` Secret mounted here.
      server: { tls: { certDir: '/etc/tls' }, rateLimit: { requestsPerSecond: 50, burst: 100 } },
      audit: { flushIntervalSeconds: 0.1, bufferSize: 10000, batchSize: 50 },
    },
    ai: {
      llm: { provider: 'openai', apiKeyFile: `${RUNTIME_DIR}/api-key`, reasoning: { enabled: true } },
      alignmentCheck: {
        enabled: true,
        timeout: '10s',
        maxStepTokens: 500,
        llm: {
          provider: 'openai',
          model: 'shadow-eval',
          endpoint: llms.shadow,
          apiKeyFile: `${RUNTIME_DIR}/shadow-api-key`,
        },
      },
    },
    integrations: {
      dataStorage: { url: dataStorage, healthUrl: `${dataStorage}/readyz` },
      // Neither runs in this suite; the agent's tools fail when asked.
      tools: {
        prometheus: { url: `http://prometheus-svc.${run.namespace}.svc.cluster.local:9090` },
        alertmanager: { url: `http://alertmanager-svc.${run.namespace}.svc.cluster.local:9093` },
      },
    },
    interactive: {
      enabled: true,
      sessionTTL: '5m',
      inactivityTimeout: '2m',
      maxConcurrentSessions: 10,
      rateLimitPerUser: 40,
      ...(options.jwtProviders ? { jwtProviders: options.jwtProviders } : {}),
    },
  };
}

const read = ['get', 'list', 'watch'];

/**
 * The agent on 8443 (HTTPS, node port 30088), health 8081 (30188) and metrics 9090 (30988), as the suites' kind
 * configs map them to 8088, 28088 and 9088. The suite's LLM_* and DATA_STORAGE_URL variables are left out: no
 * code of the agent reads them.
 */
export function kubernautAgent(options: KubernautAgentOptions = {}): DeploymentSpec {
  const llms = options.llmUrls ?? runLlms;
  return {
    id: 'kubernaut-agent',
    image: 'kubernautagent',
    serviceAccount: SERVICE_ACCOUNT,
    dependsOn: [
      ...(options.dependsOn ?? [
        'datastorage',
        'mock-llm',
        'mock-llm-shadow',
        'kubernaut-agent-auth-middleware',
      ]),
    ],
    args: ['-config', `${CONFIG_DIR}/config.yaml`, '-llm-runtime', `${RUNTIME_DIR}/llm-runtime.yaml`],
    env: { TLS_CA_FILE },
    ports: [
      { name: 'https', port: 8443, tls: true, nodePort: 30088 },
      { name: 'health', port: 8081, nodePort: 30188 },
      { name: 'metrics', port: 9090, nodePort: 30988 },
    ],
    publish: [
      { port: 'https', hostPort: 'agent', endpoint: 'agentUrl' },
      { port: 'health', hostPort: 'agentHealth', endpoint: 'agentHealthUrl' },
      { port: 'metrics', hostPort: 'agentMetrics', endpoint: 'agentMetricsUrl' },
    ],
    configFiles: [
      {
        name: 'kubernaut-agent-config',
        mountPath: CONFIG_DIR,
        files: { 'config.yaml': { yaml: (run) => kubernautAgentConfig(run, options) } },
      },
      {
        name: 'kubernaut-agent-llm-runtime',
        mountPath: RUNTIME_DIR,
        files: {
          'api-key': { text: 'mock-api-key-for-e2e' },
          'shadow-api-key': { text: 'mock-shadow-key' },
          'llm-runtime.yaml': {
            yaml: (run) => ({
              model: 'mock-model',
              endpoint: llms(run).mockLlm,
              temperature: 0.7,
              maxRetries: 3,
              timeoutSeconds: 120,
            }),
          },
        },
      },
    ],
    volumes: [
      { name: 'tls-certs', mountPath: '/etc/tls', source: { secret: 'kubernautagent-tls', optional: true } },
      tlsCaVolume(),
    ],
    probes: {
      readiness: { path: '/readyz', port: 'health', initialDelaySeconds: 3, periodSeconds: 5 },
      liveness: { path: '/healthz', port: 'health', initialDelaySeconds: 5, periodSeconds: 10 },
    },
    // `kubernaut-agent-investigator`: what an investigation reads.
    clusterRules: [
      {
        apiGroups: [''],
        resources: [
          'pods',
          'pods/log',
          'events',
          'services',
          'configmaps',
          'nodes',
          'nodes/proxy',
          'namespaces',
          'replicationcontrollers',
          'persistentvolumeclaims',
        ],
        verbs: read,
      },
      {
        apiGroups: ['apps'],
        resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
        verbs: read,
      },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: read },
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: read },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list'] },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list'] },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list'] },
      {
        apiGroups: ['cert-manager.io'],
        resources: ['certificates', 'clusterissuers', 'certificaterequests'],
        verbs: read,
      },
      { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list'] },
      { apiGroups: ['kubernaut.ai'], resources: ['remediationrequests'], verbs: ['get', 'list'] },
      { apiGroups: ['kubernaut.ai'], resources: ['agentsessions'], verbs: [...read, 'update', 'patch'] },
      { apiGroups: ['kubernaut.ai'], resources: ['agentsessions/status'], verbs: ['get', 'update', 'patch'] },
      { apiGroups: ['kubernaut.ai'], resources: ['investigationsessions'], verbs: read },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'list', 'create', 'update', 'delete'],
      },
      {
        apiGroups: ['alpha.kubernaut-test.ai', 'beta.kubernaut-test.ai'],
        resources: ['testwidgets'],
        verbs: read,
      },
    ],
    clusterRoleBindings: ['data-storage-client'],
  };
}

/** The agent as the aianalysis suite deploys it: the run's two mocks, no JWT issuer. */
export const kubernautAgentDeployment: DeploymentSpec = kubernautAgent();

/**
 * `kubernaut-agent-auth-middleware`: the agent's account bound cluster-wide to DataStorage's
 * `data-storage-auth-middleware` role (token and access reviews), which the DataStorage stack applies.
 */
export const kubernautAgentAuthMiddleware: ManifestSpec = {
  id: 'kubernaut-agent-auth-middleware',
  dependsOn: ['datastorage-rbac'],
  objects: [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kubernaut-agent-auth-middleware' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'data-storage-auth-middleware',
      },
      // The namespace is the run's: inline objects' ServiceAccount subjects are placed there.
      subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT }],
    },
  ],
};
