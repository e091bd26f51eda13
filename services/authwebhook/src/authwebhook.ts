import { defineService, type SetupOptions, setupInfrastructure } from '@kubernaut-e2e/setup';
import { authWebhookStack } from './authwebhook-stack.js';

/**
 * The auth webhook's suite, as kubernaut runs it (`SetupAuthWebhookInfrastructureParallel`): namespace
 * `authwebhook-e2e`, the suite's own `test/e2e/authwebhook/kind-config.yaml` (PostgreSQL on 25442, Redis on 26386,
 * DataStorage on 28099, the webhook on 30099, all mapped there already), the DataStorage stack and the auth webhook.
 * The suite seeds its ActionTypes itself, through the webhook.
 */
export const authWebhookService = defineService({
  name: 'authwebhook',
  description: 'the authentication admission webhook, on the DataStorage stack',
  // The names the suite's own code looks for (`authwebhook_e2e_suite_test.go`).
  cluster: { name: 'authwebhook-e2e', kubeconfig: '~/.kube/authwebhook-e2e-config' },
  namespace: 'authwebhook-e2e',
  kindConfig: 'test/e2e/authwebhook/kind-config.yaml',
  uses: [authWebhookStack],
  hostPorts: { webhook: 30099, datastorage: 28099, postgresql: 25442, redis: 26386 },
  nodePorts: { postgresql: 30442 },
});

/** Sets up the auth webhook's E2E infrastructure (see `SetupOptions`). */
export function setupAuthWebhookInfrastructure(options?: SetupOptions) {
  return setupInfrastructure(authWebhookService, options);
}
