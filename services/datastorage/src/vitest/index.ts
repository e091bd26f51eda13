import type { SetupOptions } from '@kubernaut-e2e/setup';
import { createGlobalSetup } from '@kubernaut-e2e/setup/vitest';
import { dataStorageService } from '../datastorage.js';

export type { ProvidedInfrastructure } from '@kubernaut-e2e/setup/vitest';

/** vitest `globalSetup` for DataStorage suites: `export default dataStorageGlobalSetup({ runtime: 'sim' })`. */
export function dataStorageGlobalSetup(options?: SetupOptions) {
  return createGlobalSetup(dataStorageService, options);
}
