import type { SetupOptions } from '@kubernaut-e2e/setup';
import { createGlobalSetup } from '@kubernaut-e2e/setup/vitest';
import { gatewayService } from '../gateway.js';

export type { ProvidedInfrastructure } from '@kubernaut-e2e/setup/vitest';

/** vitest `globalSetup` for gateway suites: `export default gatewayGlobalSetup({ pattern: 'dag' })`. */
export function gatewayGlobalSetup(options?: SetupOptions) {
  return createGlobalSetup(gatewayService, options);
}
