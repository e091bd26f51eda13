import { authWebhookComponent, authWebhookImage, WEBHOOK_NODE_PORT } from '@kubernaut-e2e/authwebhook';
import type { ImageBuildConfig } from '@kubernaut-e2e/core';
import {
  type DeclareContext,
  dataStorageStack,
  type InfrastructureHandle,
  inClusterDataStorageUrl,
  kindConfigFor,
  readProjectCrds,
  requirePort,
  type ServiceDefinition,
  type SetupOptions,
  setupInfrastructure,
} from '@kubernaut-e2e/datastorage';
import { serviceManifests } from '@kubernaut-e2e/deployers';

const METRICS_NODE_PORT = 30090;

/** The seed's `E2EImageConfig` for the notification controller. */
export function notificationImage(context: DeclareContext): ImageBuildConfig {
  return {
    serviceName: 'notification',
    imageName: 'kubernaut/notification',
    dockerfilePath: 'docker/notification.Dockerfile',
    consumer: context.consumer,
    enableCoverage: context.coverage,
  };
}

/**
 * The notification controller's suite: notification, auth webhook and DataStorage images; the
 * NotificationRequest CRD; the DataStorage stack; the auth webhook (deletes of NotificationRequests are
 * validated by it); then the controller, ready when its metrics endpoint answers.
 */
export const notificationService: ServiceDefinition = {
  service: 'notification',
  defaultHostPorts: { metrics: 38090, webhook: 38443, datastorage: 38081, postgresql: 35432 },
  async declare(context) {
    const stack = dataStorageStack(context);
    const metricsPort = requirePort(context.hostPorts, 'metrics');
    const webhookPort = requirePort(context.hostPorts, 'webhook');
    const namespace = context.namespace;
    const { component: webhook } = await authWebhookComponent(context, webhookPort, ['datastorage']);
    return {
      declaration: {
        service: 'notification',
        images: [
          ...stack.images,
          { id: 'authwebhook', build: authWebhookImage(context) },
          { id: 'notification', build: notificationImage(context) },
        ],
        cluster: {
          name: context.clusterName,
          kubeconfigPath: context.kubeconfigPath,
          config: kindConfigFor(context, [
            { containerPort: METRICS_NODE_PORT, hostPort: metricsPort },
            { containerPort: WEBHOOK_NODE_PORT, hostPort: webhookPort },
            ...stack.portMappings,
          ]),
        },
        crds: await readProjectCrds(context.projectRoot, [
          'notification.kubernaut.ai_notificationrequests.yaml',
        ]),
        namespace: { name: namespace },
        components: [
          ...stack.components,
          webhook,
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
                      apiGroups: ['notification.kubernaut.ai'],
                      resources: ['notificationrequests', 'notificationrequests/status'],
                      verbs: ['get', 'list', 'watch', 'update', 'patch'],
                    },
                  ],
                },
                coverage: context.coverage,
              }),
            rollout: ['deployment/notification-controller'],
            rolloutTimeoutMs: 180_000,
            readiness: {
              probe: { kind: 'http', url: `http://localhost:${metricsPort}/metrics` },
              options: { timeoutMs: 120_000, intervalMs: 1000, attemptTimeoutMs: 3000 },
            },
          },
        ],
      },
      endpoints: {
        metricsUrl: `http://localhost:${metricsPort}/metrics`,
        webhookUrl: `https://localhost:${webhookPort}`,
        ...stack.endpoints,
      },
    };
  },
};

/** Sets up the notification controller's E2E infrastructure (see `SetupOptions`). */
export function setupNotificationInfrastructure(options?: SetupOptions): Promise<InfrastructureHandle> {
  return setupInfrastructure(notificationService, options);
}
