import type { SetupOptions } from '@kubernaut-e2e/setup';
import { createGlobalSetup } from '@kubernaut-e2e/setup/vitest';
import { notificationService } from '../notification.js';

export type { ProvidedInfrastructure } from '@kubernaut-e2e/setup/vitest';

/** vitest `globalSetup` for notification suites: `export default notificationGlobalSetup()`. */
export function notificationGlobalSetup(options?: SetupOptions) {
  return createGlobalSetup(notificationService, options);
}
