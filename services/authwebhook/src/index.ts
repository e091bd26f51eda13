/** @kubernaut-e2e/authwebhook — the auth webhook's E2E infrastructure, and its reusable deploy step. */
import { createGlobalSetup, type SetupOptions } from '@kubernaut-e2e/datastorage';
import { setupAuthWebhookInfrastructure } from './authwebhook.js';

export type { InfrastructureHandle, ProvidedInfrastructure, SetupOptions } from '@kubernaut-e2e/datastorage';
export { authWebhookService, setupAuthWebhookInfrastructure } from './authwebhook.js';
export {
  authWebhookComponent,
  authWebhookImage,
  WEBHOOK_CRD_FILES,
  WEBHOOK_NODE_PORT,
  WEBHOOK_SERVICE,
  webhookConfigurations,
} from './webhook-component.js';

/** vitest `globalSetup` for auth webhook suites: `export default authWebhookGlobalSetup()`. */
export function authWebhookGlobalSetup(options?: SetupOptions) {
  return createGlobalSetup(setupAuthWebhookInfrastructure, options);
}
