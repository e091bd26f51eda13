import { authWebhookService } from '@kubernaut-e2e/authwebhook';
import { dataStorageService, type ServiceDefinition } from '@kubernaut-e2e/datastorage';
import { gatewayService } from '@kubernaut-e2e/gateway';
import { notificationService } from '@kubernaut-e2e/notification';
import type { ServiceName } from './args.js';

/** Every service the CLI can set up, by the name used on the command line. */
export const SERVICE_DEFINITIONS: Readonly<Record<ServiceName, ServiceDefinition>> = {
  gateway: gatewayService,
  datastorage: dataStorageService,
  notification: notificationService,
  authwebhook: authWebhookService,
};
