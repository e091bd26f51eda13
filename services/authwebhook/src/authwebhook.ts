import {
  defineService,
  type InfrastructureHandle,
  type SetupOptions,
  setupInfrastructure,
} from '@kubernaut-e2e/setup';
import { authWebhookStack } from './authwebhook-stack.js';

/**
 * The auth webhook's suite, as kubernaut runs it: namespace `authwebhook-e2e`, the suite's own
 * `test/e2e/authwebhook/kind-config.yaml` (PostgreSQL on node port 30442, the webhook on 30099, both already
 * mapped there), the whole `config/crd/bases/`, the DataStorage stack, webhook TLS (certificate, Secret, `caBundle`
 * patch) and the webhook; ready when its port accepts connections.
 */
export const authWebhookService = defineService({
  name: 'authwebhook',
  description: 'the authentication admission webhook, on the DataStorage stack',
  namespace: 'authwebhook-e2e',
  kindConfig: 'test/e2e/authwebhook/kind-config.yaml',
  uses: [authWebhookStack],
  hostPorts: { webhook: 30099, datastorage: 28099, postgresql: 25442 },
  nodePorts: { webhook: 30099, postgresql: 30442 },
});

/** Sets up the auth webhook's E2E infrastructure (see `SetupOptions`). */
export function setupAuthWebhookInfrastructure(options?: SetupOptions): Promise<InfrastructureHandle> {
  return setupInfrastructure(authWebhookService, options);
}
