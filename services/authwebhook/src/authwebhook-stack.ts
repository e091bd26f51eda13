import { dataStorageStack } from '@kubernaut-e2e/datastorage';
import { defineStack } from '@kubernaut-e2e/setup';
import {
  authWebhookComponent,
  authWebhookImage,
  WEBHOOK_CRD_SOURCES,
  WEBHOOK_NODE_PORT,
} from './webhook-component.js';

/**
 * The auth webhook on top of the DataStorage stack: its image, TLS (certificate, Secret, `caBundle` patch), the
 * webhook and the CRDs it intercepts, published on the host port named `webhook` (from node port 30443, or the one
 * the service gives in `nodePorts.webhook`). Services whose suites run behind it (notification,
 * remediationorchestrator, workflowexecution) use it.
 */
export const authWebhookStack = defineStack({
  name: 'authwebhook',
  hostPorts: ['webhook'],
  provides: ['authwebhook'],
  uses: [dataStorageStack],
  async declare(context) {
    const webhookPort = context.hostPorts.webhook!;
    const nodePort = context.nodePorts?.webhook ?? WEBHOOK_NODE_PORT;
    const { component } = await authWebhookComponent(context, webhookPort, ['datastorage'], nodePort);
    return {
      images: [{ id: 'authwebhook', build: authWebhookImage(context) }],
      components: [component],
      portMappings: [{ containerPort: nodePort, hostPort: webhookPort }],
      crds: WEBHOOK_CRD_SOURCES,
      endpoints: { webhookUrl: `https://localhost:${webhookPort}` },
    };
  },
});
