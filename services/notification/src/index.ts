/**
 * @kubernaut-e2e/notification — the notification controller's E2E infrastructure. The vitest global setup is at
 * `@kubernaut-e2e/notification/vitest`.
 */
export type { InfrastructureHandle, SetupOptions } from '@kubernaut-e2e/setup';
export {
  notificationConfig,
  notificationRouting,
  notificationService,
  setupNotificationInfrastructure,
} from './notification.js';
