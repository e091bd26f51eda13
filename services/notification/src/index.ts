/** @kubernaut-e2e/notification — the notification controller's E2E infrastructure. */
import { createGlobalSetup, type SetupOptions } from '@kubernaut-e2e/datastorage';
import { setupNotificationInfrastructure } from './notification.js';

export type { InfrastructureHandle, ProvidedInfrastructure, SetupOptions } from '@kubernaut-e2e/datastorage';
export { notificationImage, notificationService, setupNotificationInfrastructure } from './notification.js';

/** vitest `globalSetup` for notification suites: `export default notificationGlobalSetup()`. */
export function notificationGlobalSetup(options?: SetupOptions) {
  return createGlobalSetup(setupNotificationInfrastructure, options);
}
