import type { ImageBuildConfig, KubeObject } from '@kubernaut-e2e/core';
import {
  generateWebhookCertificates,
  patchWebhookCaBundle,
  serviceManifests,
  type WebhookCertificates,
  webhookTlsSecret,
} from '@kubernaut-e2e/deployers';
import type { DeployComponent } from '@kubernaut-e2e/orchestrator';
import { DEFAULT_READY_TIMEOUT_MS, type DeclareContext, imageBuild } from '@kubernaut-e2e/setup';

export const WEBHOOK_SERVICE = 'authwebhook';
/** The webhook's node port unless the service moves it (`nodePorts.webhook`; kubernaut's own suite uses 30099). */
export const WEBHOOK_NODE_PORT = 30443;
const TLS_SECRET = 'authwebhook-tls';
/** controller-runtime's default certificate directory. */
const CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';
const MUTATING = 'authwebhook-mutating';
const VALIDATING = 'authwebhook-validating';

/** The seed's `E2EImageConfig` for the auth webhook: kubernaut's suites name its image `authwebhook`. */
export function authWebhookImage(context: DeclareContext): ImageBuildConfig {
  return imageBuild(
    'authwebhook',
    { dockerfile: 'docker/authwebhook.Dockerfile', imageName: 'authwebhook' },
    context,
  );
}

interface WebhookRule {
  readonly name: string;
  readonly path: string;
  readonly group: string;
  readonly resource: string;
  readonly operations: readonly string[];
}

function webhook(namespace: string, rule: WebhookRule) {
  return {
    name: rule.name,
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    failurePolicy: 'Fail',
    timeoutSeconds: 10,
    clientConfig: { service: { name: WEBHOOK_SERVICE, namespace, path: rule.path, port: 443 } },
    rules: [
      {
        apiGroups: [rule.group],
        apiVersions: ['v1alpha1'],
        resources: [rule.resource],
        operations: rule.operations,
      },
    ],
  };
}

/** Mutating and validating configurations; `caBundle` is patched in after apply, from the generated CA. */
export function webhookConfigurations(namespace: string): KubeObject[] {
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: MUTATING },
      webhooks: [
        webhook(namespace, {
          name: 'workflowexecution.mutate.kubernaut.ai',
          path: '/mutate-workflowexecution',
          group: 'kubernaut.ai',
          resource: 'workflowexecutions/status',
          operations: ['UPDATE'],
        }),
      ],
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: VALIDATING },
      webhooks: [
        webhook(namespace, {
          name: 'notificationrequest.validate.kubernaut.ai',
          path: '/validate-notificationrequest-delete',
          group: 'kubernaut.ai',
          resource: 'notificationrequests',
          operations: ['DELETE'],
        }),
      ],
    },
  ];
}

/**
 * CRDs the webhook stack installs: kubernaut's suites deploy the auth webhook with the whole `config/crd/bases/`
 * (`DeployAuthWebhookManifestsOnly`), since its webhooks intercept most of the `kubernaut.ai` kinds.
 */
export const WEBHOOK_CRD_SOURCES = ['config/crd/bases'] as const;

/**
 * The auth webhook as a deploy step: a CA and serving certificate made in memory for the Service's DNS names,
 * the TLS Secret, the webhook and its configurations, then the `caBundle` patched into both configurations.
 * Ready when its port accepts TCP connections from the host.
 */
export async function authWebhookComponent(
  context: DeclareContext,
  hostPort: number,
  dependsOn: readonly string[],
  nodePort: number = WEBHOOK_NODE_PORT,
): Promise<{ component: DeployComponent; certificates: WebhookCertificates }> {
  const namespace = context.namespace;
  const certificates = await generateWebhookCertificates({ serviceName: WEBHOOK_SERVICE, namespace });
  const component: DeployComponent = {
    id: 'authwebhook',
    kind: 'deploy',
    images: ['authwebhook'],
    dependsOn,
    manifests: (refs) => [
      webhookTlsSecret({ name: TLS_SECRET, namespace }, certificates),
      ...serviceManifests({
        name: WEBHOOK_SERVICE,
        namespace,
        image: refs.authwebhook!,
        ports: [
          { name: 'webhook', port: 443, containerPort: 9443 },
          { name: 'health', port: 8081 },
        ],
        nodePorts: { webhook: nodePort },
        env: { WEBHOOK_CERT_DIR: CERT_DIR, POD_NAMESPACE: namespace },
        volumes: [{ name: 'tls', mountPath: CERT_DIR, source: { secret: TLS_SECRET } }],
        probes: { readiness: { type: 'http', path: '/readyz', port: 'health', periodSeconds: 2 } },
        serviceAccount: {
          name: WEBHOOK_SERVICE,
          clusterRules: [
            { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
          ],
        },
        coverage: context.coverage,
      }),
      ...webhookConfigurations(namespace),
    ],
    afterApply: async (kube, ctx) => {
      await patchWebhookCaBundle(
        kube,
        { kind: 'MutatingWebhookConfiguration', name: MUTATING, webhookCount: 1 },
        certificates.caCertificatePem,
        ctx,
      );
      await patchWebhookCaBundle(
        kube,
        { kind: 'ValidatingWebhookConfiguration', name: VALIDATING, webhookCount: 1 },
        certificates.caCertificatePem,
        ctx,
      );
    },
    rollout: ['deployment/authwebhook'],
    rolloutTimeoutMs: DEFAULT_READY_TIMEOUT_MS,
    readiness: {
      probe: { kind: 'tcp', host: 'localhost', port: hostPort },
      options: { timeoutMs: 120_000, intervalMs: 1000, attemptTimeoutMs: 2000 },
    },
  };
  return { component, certificates };
}
