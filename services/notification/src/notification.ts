import { authWebhookStack } from '@kubernaut-e2e/authwebhook';
import { defineService, type RunContext, type SetupOptions, setupInfrastructure } from '@kubernaut-e2e/setup';

/** The controller's `config.yaml`: delivery channels, file output, and the DataStorage it writes audit events to. */
export function notificationConfig(run: RunContext) {
  const dataStorage = run.url('datastorage', 'https');
  return {
    controller: {
      metricsAddr: ':9090',
      healthProbeAddr: ':8081',
      leaderElection: false,
      leaderElectionId: 'notification.kubernaut.ai',
    },
    delivery: {
      console: { enabled: true },
      file: { outputDir: '/tmp/notifications', format: 'json', timeout: '5s' },
      log: { enabled: true, format: 'json' },
      slack: { timeout: '10s' },
    },
    datastorage: {
      url: dataStorage,
      healthUrl: `${dataStorage}/readyz`,
      timeout: '10s',
      buffer: { bufferSize: 10000, batchSize: 100, flushInterval: '1s', maxRetries: 3 },
    },
  };
}

const on = [{ enabled: true }];
const slack = (outcome: string) => [{ channel: `#test-${outcome}`, credentialRef: `slack-${outcome}` }];

/**
 * The routing file (`/etc/notification-routing/routing.yaml`): one receiver per channel set the suite's tests ask for
 * with the `test-channel-set` label. Receiver names, match values and credential references are the suite's, recorded
 * from kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0, `test/infrastructure/notification_e2e.go:654-769`.
 */
export function notificationRouting(run: RunContext) {
  const sink = `http://${run.host('mock-webhook')}:8080`;
  const receivers: Record<string, Record<string, unknown>> = {
    'default-console': { consoleConfigs: on },
    'console-file-log': { consoleConfigs: on, fileConfigs: on, logConfigs: on },
    'console-file': { consoleConfigs: on, fileConfigs: on },
    'file-only': { fileConfigs: on },
    'log-only': { logConfigs: on },
    'slack-success': { slackConfigs: slack('success') },
    'slack-failure': { slackConfigs: slack('failure') },
    'console-slack-success': { consoleConfigs: on, slackConfigs: slack('success') },
    'console-slack-failure': { consoleConfigs: on, slackConfigs: slack('failure') },
    'fanout-console': { consoleConfigs: on },
    'fanout-file-log': { fileConfigs: on, logConfigs: on },
    'pagerduty-success': {
      pagerdutyConfigs: [{ credentialRef: 'pagerduty-success', url: `${sink}/pagerduty` }],
    },
    'pagerduty-failure': {
      pagerdutyConfigs: [{ credentialRef: 'pagerduty-failure', url: `${sink}/pagerduty/fail` }],
    },
    'teams-success': { teamsConfigs: [{ credentialRef: 'teams-success' }] },
    'teams-failure': { teamsConfigs: [{ credentialRef: 'teams-failure' }] },
  };
  const route = (receiver: string, set = receiver, more: Record<string, unknown> = {}) => ({
    receiver,
    match: { 'test-channel-set': set },
    ...more,
  });
  return {
    route: {
      receiver: 'default-console',
      routes: [
        ...[
          'console-file-log',
          'console-file',
          'file-only',
          'log-only',
          'slack-success',
          'slack-failure',
        ].map((r) => route(r)),
        route('console-slack-success'),
        route('console-slack-failure'),
        route('fanout-console', 'e2e-fanout', { continue: true }),
        route('fanout-file-log', 'e2e-fanout'),
        ...['pagerduty-success', 'pagerduty-failure', 'teams-success', 'teams-failure'].map((r) => route(r)),
      ],
    },
    receivers: Object.entries(receivers).map(([name, configs]) => ({ name, ...configs })),
  };
}

/** The mock delivery sink: nginx answering what Slack, PagerDuty and Teams would, and failing on `/fail`. */
const SINK_CONF = [
  'server {',
  '  listen 8080;',
  "  location /webhook { add_header Content-Type text/plain; return 200 'ok'; }",
  "  location /webhook/fail { add_header Content-Type text/plain; return 503 'simulated failure'; }",
  '  location /pagerduty { add_header Content-Type application/json; return 202 \'{"status":"success","dedup_key":"mock"}\'; }',
  "  location /pagerduty/fail { add_header Content-Type text/plain; return 503 'simulated pagerduty failure'; }",
  "  location /teams { add_header Content-Type text/plain; return 200 'ok'; }",
  "  location /teams/fail { add_header Content-Type text/plain; return 503 'simulated teams failure'; }",
  '}',
  '',
].join('\n');

/**
 * The notification controller's suite, as kubernaut runs it: namespace `notification-e2e`, the repository's
 * `test/infrastructure/kind-notification-config.yaml` (metrics on 9186, DataStorage on 30090 and its health on 30281),
 * the DataStorage stack with DataStorage on node port 30090, the auth webhook, a mock delivery sink, the delivery
 * credentials, and the controller (container `manager`) with its config and routing files, file output in
 * `/tmp/notifications`; ready when its pod is ready.
 */
export const notificationService = defineService({
  name: 'notification',
  description: 'the notification controller, behind the auth webhook, on the DataStorage stack',
  // The names the suite's own code looks for (`notification_e2e_suite_test.go`).
  cluster: { name: 'notification-e2e', kubeconfig: '~/.kube/notification-e2e-config' },
  namespace: 'notification-e2e',
  kindConfig: 'test/infrastructure/kind-notification-config.yaml',
  uses: [authWebhookStack],
  hostPorts: { metrics: 9186, datastorage: 30090, datastorageHealth: 30281 },
  nodePorts: { datastorage: 30090 },
  images: {
    notification: {
      dockerfile: 'docker/notification-controller.Dockerfile',
      imageName: 'kubernaut/notification',
    },
    'mock-webhook': { ref: 'docker.io/library/nginx:alpine' },
  },
  crds: ['config/crd/bases/kubernaut.ai_notificationrequests.yaml'],
  configMaps: [{ name: 'mock-webhook-config', files: { 'default.conf': { text: SINK_CONF } } }],
  secrets: [
    {
      name: 'delivery-credentials',
      files: {
        'slack-success': { text: (run) => `http://${run.host('mock-webhook')}:8080/webhook` },
        'slack-failure': { text: (run) => `http://${run.host('mock-webhook')}:8080/webhook/fail` },
        'pagerduty-success': { text: 'e2e-test-routing-key-success' },
        'pagerduty-failure': { text: 'e2e-test-routing-key-failure' },
        'teams-success': { text: (run) => `http://${run.host('mock-webhook')}:8080/teams` },
        'teams-failure': { text: (run) => `http://${run.host('mock-webhook')}:8080/teams/fail` },
      },
    },
  ],
  deployments: [
    {
      id: 'mock-webhook',
      image: 'mock-webhook',
      ports: [{ name: 'http', port: 8080 }],
      volumes: [
        { name: 'config', mountPath: '/etc/nginx/conf.d', source: { configMap: 'mock-webhook-config' } },
      ],
    },
    {
      id: 'notification-controller',
      image: 'notification',
      containerName: 'manager',
      serviceName: 'notification-metrics',
      serviceAccount: 'notification-controller',
      dependsOn: ['datastorage', 'mock-webhook'],
      args: ['-config', '$(CONFIG_PATH)'],
      env: (run) => ({
        CONFIG_PATH: '/etc/notification/config.yaml',
        ROUTING_CONFIG_PATH: '/etc/notification-routing/routing.yaml',
        KUBERNAUT_CONTROLLER_NAMESPACE: run.namespace,
        TLS_CA_FILE: '/etc/tls-ca/ca.crt',
      }),
      fieldEnv: { POD_NAMESPACE: 'metadata.namespace' },
      ports: [
        { name: 'metrics', port: 9090, nodePort: 30186 },
        { name: 'health', port: 8081 },
      ],
      publish: { port: 'metrics', hostPort: 'metrics', endpoint: false },
      configFiles: [
        {
          name: 'notification-controller-config',
          mountPath: '/etc/notification',
          files: { 'config.yaml': { yaml: notificationConfig } },
        },
        {
          name: 'notification-routing-config',
          mountPath: '/etc/notification-routing',
          files: { 'routing.yaml': { yaml: notificationRouting } },
        },
      ],
      volumes: [
        {
          name: 'delivery-credentials',
          mountPath: '/etc/notification/credentials',
          source: { secret: 'delivery-credentials' },
        },
        { name: 'notification-output', mountPath: '/tmp/notifications', source: { emptyDir: true } },
        { name: 'tls-ca', mountPath: '/etc/tls-ca', source: { configMap: 'inter-service-ca' } },
      ],
      probes: {
        readiness: {
          path: '/readyz',
          port: 'health',
          initialDelaySeconds: 15,
          periodSeconds: 10,
          timeoutSeconds: 5,
          failureThreshold: 6,
        },
        liveness: { path: '/healthz', port: 'health', initialDelaySeconds: 15, periodSeconds: 20 },
      },
      clusterRules: [
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['notificationrequests'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        },
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['notificationrequests/status'],
          verbs: ['get', 'update', 'patch'],
        },
        { apiGroups: ['kubernaut.ai'], resources: ['notificationrequests/finalizers'], verbs: ['update'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
      clusterRoleBindings: ['data-storage-client'],
      resources: { requests: { memory: '128Mi', cpu: '100m' }, limits: { memory: '512Mi', cpu: '500m' } },
    },
  ],
  // The URL the suite scrapes (`notification_e2e_suite_test.go:303`: `http://localhost:9186/metrics`).
  endpoints: (run) => ({ metricsUrl: `${run.hostUrl('metrics')}/metrics` }),
});

/** Sets up the notification controller's E2E infrastructure (see `SetupOptions`). */
export function setupNotificationInfrastructure(options?: SetupOptions) {
  return setupInfrastructure(notificationService, options);
}
