import {
  dataStorageStack,
  type InfrastructureHandle,
  kindConfigFor,
  readProjectCrds,
  requirePort,
  type ServiceDefinition,
  type SetupOptions,
  setupInfrastructure,
} from '@kubernaut-e2e/datastorage';
import {
  authWebhookComponent,
  authWebhookImage,
  WEBHOOK_CRD_FILES,
  WEBHOOK_NODE_PORT,
} from './webhook-component.js';

/**
 * The auth webhook's suite: DataStorage and webhook images, the DataStorage stack, webhook TLS (certificate,
 * Secret, `caBundle` patch) and the webhook; ready when its port accepts connections.
 */
export const authWebhookService: ServiceDefinition = {
  service: 'authwebhook',
  defaultHostPorts: { webhook: 48443, datastorage: 48081, postgresql: 45432 },
  async declare(context) {
    const stack = dataStorageStack(context);
    const webhookPort = requirePort(context.hostPorts, 'webhook');
    const { component } = await authWebhookComponent(context, webhookPort, ['datastorage']);
    return {
      declaration: {
        service: 'authwebhook',
        images: [...stack.images, { id: 'authwebhook', build: authWebhookImage(context) }],
        cluster: {
          name: context.clusterName,
          kubeconfigPath: context.kubeconfigPath,
          config: kindConfigFor(context, [
            { containerPort: WEBHOOK_NODE_PORT, hostPort: webhookPort },
            ...stack.portMappings,
          ]),
        },
        crds: await readProjectCrds(context.projectRoot, WEBHOOK_CRD_FILES),
        namespace: { name: context.namespace },
        components: [...stack.components, component],
      },
      endpoints: { webhookUrl: `https://localhost:${webhookPort}`, ...stack.endpoints },
    };
  },
};

/** Sets up the auth webhook's E2E infrastructure (see `SetupOptions`). */
export function setupAuthWebhookInfrastructure(options?: SetupOptions): Promise<InfrastructureHandle> {
  return setupInfrastructure(authWebhookService, options);
}
