/**
 * @kubernaut-e2e/authwebhook — the auth webhook's E2E infrastructure, and its reusable stack. The vitest global
 * setup is at `@kubernaut-e2e/authwebhook/vitest`.
 */
export type { InfrastructureHandle, SetupOptions } from '@kubernaut-e2e/setup';
export { authWebhookService, setupAuthWebhookInfrastructure } from './authwebhook.js';
export { authWebhookConfig, authWebhookStack, webhookConfigurations } from './authwebhook-stack.js';
