import type { Service } from '@kubernaut-e2e/setup';

/**
 * The four kubernaut services the CLI sets up when no project config declares others: the same list a
 * `kubernaut-e2e.config.ts` would import. Loaded only when no config file is found.
 */
export async function builtinServices(): Promise<Service[]> {
  const [gateway, datastorage, notification, authwebhook] = await Promise.all([
    import('@kubernaut-e2e/gateway'),
    import('@kubernaut-e2e/datastorage'),
    import('@kubernaut-e2e/notification'),
    import('@kubernaut-e2e/authwebhook'),
  ]);
  return [
    gateway.gatewayService,
    datastorage.dataStorageService,
    notification.notificationService,
    authwebhook.authWebhookService,
  ];
}
