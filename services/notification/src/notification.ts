import { authWebhookStack } from '@kubernaut-e2e/authwebhook';
import { inClusterDataStorageUrl } from '@kubernaut-e2e/datastorage';
import { serviceManifests } from '@kubernaut-e2e/deployers';
import {
  DEFAULT_READY_TIMEOUT_MS,
  defineService,
  type InfrastructureHandle,
  type SetupOptions,
  setupInfrastructure,
} from '@kubernaut-e2e/setup';

const METRICS_NODE_PORT = 30186;

/**
 * The notification controller's suite, as kubernaut runs it: namespace `notification-e2e`, the repository's
 * `test/infrastructure/kind-notification-config.yaml` (metrics on 9186, DataStorage on node port 30090; the setup
 * adds the webhook's and PostgreSQL's host ports), notification, auth webhook and DataStorage images, the
 * NotificationRequest CRD, the DataStorage stack, the auth webhook (deletes of NotificationRequests are validated by
 * it), then the controller, ready when its metrics endpoint answers.
 */
export const notificationService = defineService({
  name: 'notification',
  description: 'the notification controller, behind the auth webhook, on the DataStorage stack',
  namespace: 'notification-e2e',
  kindConfig: 'test/infrastructure/kind-notification-config.yaml',
  uses: [authWebhookStack],
  hostPorts: { metrics: 9186, webhook: 18443, datastorage: 30090, postgresql: 15433 },
  nodePorts: { metrics: METRICS_NODE_PORT, datastorage: 30090 },
  images: { notification: { dockerfile: 'docker/notification-controller.Dockerfile' } },
  crds: ['config/crd/bases/kubernaut.ai_notificationrequests.yaml'],
  components: ({ namespace, hostPorts, coverage }) => [
    {
      id: 'notification',
      kind: 'deploy',
      images: ['notification'],
      dependsOn: ['datastorage', 'authwebhook'],
      manifests: (refs) =>
        serviceManifests({
          name: 'notification-controller',
          namespace,
          image: refs.notification!,
          ports: [
            { name: 'metrics', port: 9090 },
            { name: 'health', port: 8081 },
          ],
          nodePorts: { metrics: METRICS_NODE_PORT },
          env: { DATA_STORAGE_URL: inClusterDataStorageUrl(namespace), POD_NAMESPACE: namespace },
          probes: { readiness: { type: 'http', path: '/readyz', port: 'health', periodSeconds: 2 } },
          serviceAccount: {
            name: 'notification-controller',
            clusterRules: [
              {
                apiGroups: ['kubernaut.ai'],
                resources: ['notificationrequests', 'notificationrequests/status'],
                verbs: ['get', 'list', 'watch', 'update', 'patch'],
              },
            ],
          },
          coverage,
        }),
      rollout: ['deployment/notification-controller'],
      rolloutTimeoutMs: DEFAULT_READY_TIMEOUT_MS,
      readiness: {
        probe: { kind: 'http', url: `http://localhost:${hostPorts.metrics}/metrics` },
        options: { timeoutMs: 120_000, intervalMs: 1000, attemptTimeoutMs: 3000 },
      },
    },
  ],
  endpoints: ({ hostPorts }) => ({ metricsUrl: `http://localhost:${hostPorts.metrics}/metrics` }),
});

/** Sets up the notification controller's E2E infrastructure (see `SetupOptions`). */
export function setupNotificationInfrastructure(options?: SetupOptions): Promise<InfrastructureHandle> {
  return setupInfrastructure(notificationService, options);
}
