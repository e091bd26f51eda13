import { dataStorageStack } from '@kubernaut-e2e/datastorage';
import { defineStack, type RunContext } from '@kubernaut-e2e/setup';

/** Where controller-runtime's webhook server reads `tls.crt`/`tls.key` (`webhook.certDir`). */
const CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';
const CONFIG_DIR = '/etc/authwebhook';

/** The auth webhook's config file (`-config=/etc/authwebhook/authwebhook.yaml`), as kubernaut's suites write it. */
export function authWebhookConfig(run: RunContext) {
  const dataStorage = run.url('datastorage', 'https');
  return {
    webhook: { port: 9443, certDir: CERT_DIR, healthProbeAddr: ':8081' },
    datastorage: {
      url: dataStorage,
      healthUrl: `${dataStorage}/readyz`,
      timeout: '30s',
      buffer: { bufferSize: 1000, batchSize: 100, flushInterval: '5s', maxRetries: 3 },
    },
  };
}

interface WebhookRule {
  readonly name: string;
  readonly path: string;
  readonly operations: readonly string[];
  readonly resource: string;
  /** Only in the run's namespace (the validating webhooks of workflows, action types and agent sessions). */
  readonly ownNamespace?: boolean;
  readonly sideEffects?: 'None' | 'NoneOnDryRun';
  readonly timeoutSeconds?: number;
}

/**
 * The webhooks kubernaut's auth webhook suite registers, recorded from kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0,
 * `test/infrastructure/authwebhook_e2e.go:515-660`: three mutating (status updates of workflow executions, approval
 * requests and remediation requests) and four validating (deletes of notification requests; workflows, action types
 * and agent sessions in the suite's namespace).
 */
export const MUTATING_WEBHOOKS: readonly WebhookRule[] = [
  {
    name: 'workflowexecution.mutate.kubernaut.ai',
    path: '/mutate-workflowexecution',
    operations: ['UPDATE'],
    resource: 'workflowexecutions/status',
  },
  {
    name: 'remediationapprovalrequest.mutate.kubernaut.ai',
    path: '/mutate-remediationapprovalrequest',
    operations: ['UPDATE'],
    resource: 'remediationapprovalrequests/status',
  },
  {
    name: 'remediationrequest.mutate.kubernaut.ai',
    path: '/mutate-remediationrequest',
    operations: ['UPDATE'],
    resource: 'remediationrequests/status',
  },
];
export const VALIDATING_WEBHOOKS: readonly WebhookRule[] = [
  {
    name: 'notificationrequest.validate.kubernaut.ai',
    path: '/validate-notificationrequest-delete',
    operations: ['DELETE'],
    resource: 'notificationrequests',
  },
  {
    name: 'remediationworkflow.validate.kubernaut.ai',
    path: '/validate-remediationworkflow',
    operations: ['CREATE', 'UPDATE', 'DELETE'],
    resource: 'remediationworkflows',
    ownNamespace: true,
    sideEffects: 'NoneOnDryRun',
    timeoutSeconds: 15,
  },
  {
    name: 'actiontype.validate.kubernaut.ai',
    path: '/validate-actiontype',
    operations: ['CREATE', 'UPDATE', 'DELETE'],
    resource: 'actiontypes',
    ownNamespace: true,
    sideEffects: 'NoneOnDryRun',
    timeoutSeconds: 15,
  },
  {
    name: 'agentsession.validate.kubernaut.ai',
    path: '/validate-agentsession',
    operations: ['CREATE'],
    resource: 'agentsessions',
    ownNamespace: true,
    sideEffects: 'NoneOnDryRun',
    timeoutSeconds: 15,
  },
];

function webhook(run: RunContext, rule: WebhookRule) {
  return {
    name: rule.name,
    admissionReviewVersions: ['v1'],
    clientConfig: {
      service: { name: 'authwebhook', namespace: run.namespace, path: rule.path, port: 443 },
      // Signed by the run's CA, which the run makes in process: no patch after the apply.
      caBundle: run.ca.bundle(),
    },
    failurePolicy: 'Fail',
    matchPolicy: 'Equivalent',
    sideEffects: rule.sideEffects ?? 'None',
    timeoutSeconds: rule.timeoutSeconds ?? 10,
    ...(rule.ownNamespace
      ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': run.namespace } } }
      : {}),
    rules: [
      {
        apiGroups: ['kubernaut.ai'],
        apiVersions: ['v1alpha1'],
        operations: [...rule.operations],
        resources: [rule.resource],
        scope: 'Namespaced',
      },
    ],
  };
}

/** The two webhook configurations, pointing at this run's `authwebhook` Service and trusting its CA. */
export function webhookConfigurations(run: RunContext) {
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'authwebhook-mutating' },
      webhooks: MUTATING_WEBHOOKS.map((rule) => webhook(run, rule)),
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'authwebhook-validating' },
      webhooks: VALIDATING_WEBHOOKS.map((rule) => webhook(run, rule)),
    },
  ];
}

const read = ['get', 'list', 'watch'];
const write = ['update', 'patch'];

/**
 * The auth webhook on the DataStorage stack, as kubernaut's suites deploy it (`authWebhookManifest`): its image, a
 * serving certificate from the run's CA (`authwebhook-tls`), its config file, RBAC, the Service on node port 30099,
 * and — once it is ready — its 3 mutating and 4 validating webhook configurations. Services whose suites run behind
 * it (authwebhook, notification, remediationorchestrator, workflowexecution) use it; `webhook` is published on the
 * host when the service names that host port.
 */
export const authWebhookStack = defineStack({
  name: 'authwebhook',
  uses: [dataStorageStack],
  images: { authwebhook: { dockerfile: 'docker/authwebhook.Dockerfile', imageName: 'authwebhook' } },
  certificates: [{ secret: 'authwebhook-tls', serves: 'authwebhook' }],
  deployments: [
    {
      id: 'authwebhook',
      image: 'authwebhook',
      serviceAccount: 'authwebhook',
      dependsOn: ['datastorage'],
      args: [`-config=${CONFIG_DIR}/authwebhook.yaml`],
      env: { TLS_CA_FILE: '/etc/tls-ca/ca.crt' },
      ports: [
        { name: 'webhook', port: 443, containerPort: 9443, tls: true, nodePort: 30099 },
        { name: 'health', port: 8081 },
      ],
      publish: { port: 'webhook', hostPort: 'webhook', endpoint: 'webhookUrl', optional: true },
      configFiles: [
        {
          name: 'authwebhook-config',
          mountPath: CONFIG_DIR,
          files: { 'authwebhook.yaml': { yaml: authWebhookConfig } },
        },
      ],
      volumes: [
        { name: 'webhook-certs', mountPath: CERT_DIR, source: { secret: 'authwebhook-tls' } },
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
        liveness: {
          path: '/healthz',
          port: 'health',
          initialDelaySeconds: 15,
          periodSeconds: 20,
          timeoutSeconds: 5,
          failureThreshold: 3,
        },
      },
      clusterRules: [
        {
          apiGroups: ['kubernaut.ai'],
          resources: [
            'workflowexecutions',
            'remediationapprovalrequests',
            'notificationrequests',
            'remediationrequests',
            'actiontypes',
          ],
          verbs: read,
        },
        { apiGroups: ['kubernaut.ai'], resources: ['remediationworkflows'], verbs: [...read, ...write] },
        { apiGroups: ['kubernaut.ai'], resources: ['remediationworkflows/finalizers'], verbs: ['update'] },
        {
          apiGroups: ['kubernaut.ai'],
          resources: [
            'workflowexecutions/status',
            'remediationapprovalrequests/status',
            'remediationrequests/status',
            'remediationworkflows/status',
            'actiontypes/status',
          ],
          verbs: write,
        },
      ],
      clusterRoleBindings: ['data-storage-client'],
      resources: { requests: { memory: '128Mi', cpu: '100m' }, limits: { memory: '256Mi', cpu: '200m' } },
    },
  ],
  // After the webhook is ready: with failurePolicy Fail, registering it earlier would refuse every kubernaut.ai
  // update in the namespace until it serves.
  manifests: [{ id: 'authwebhook-webhooks', objects: webhookConfigurations, dependsOn: ['authwebhook'] }],
});
