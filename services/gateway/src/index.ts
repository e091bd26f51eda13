/**
 * @kubernaut-e2e/gateway — the gateway's E2E infrastructure: `setupGatewayInfrastructure()`. The vitest global
 * setup is at `@kubernaut-e2e/gateway/vitest`.
 */
export type { InfrastructureHandle, SetupOptions } from '@kubernaut-e2e/setup';
export { gatewayConfig, gatewayService, setupGatewayInfrastructure } from './gateway.js';
