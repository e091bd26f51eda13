/** @kubernaut-e2e/gateway — the gateway's E2E infrastructure: `setupGatewayInfrastructure()`. */
import { createGlobalSetup, type SetupOptions } from '@kubernaut-e2e/datastorage';
import { setupGatewayInfrastructure } from './gateway.js';

export type { InfrastructureHandle, ProvidedInfrastructure, SetupOptions } from '@kubernaut-e2e/datastorage';
export { GATEWAY_CRD_FILES, gatewayImage, gatewayService, setupGatewayInfrastructure } from './gateway.js';

/** vitest `globalSetup` for gateway suites: `export default gatewayGlobalSetup({ pattern: 'dag' })`. */
export function gatewayGlobalSetup(options?: SetupOptions) {
  return createGlobalSetup(setupGatewayInfrastructure, options);
}
