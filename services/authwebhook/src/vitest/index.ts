import type { SetupOptions } from '@kubernaut-e2e/setup';
import { createGlobalSetup } from '@kubernaut-e2e/setup/vitest';
import { authWebhookService } from '../authwebhook.js';

export type { ProvidedInfrastructure } from '@kubernaut-e2e/setup/vitest';

/** vitest `globalSetup` for auth webhook suites: `export default authWebhookGlobalSetup()`. */
export function authWebhookGlobalSetup(options?: SetupOptions) {
  return createGlobalSetup(authWebhookService, options);
}
