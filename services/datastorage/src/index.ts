/**
 * @kubernaut-e2e/datastorage — DataStorage's E2E infrastructure, and the stack every kubernaut service's setup
 * builds on (PostgreSQL, Redis, goose migrations, DataStorage). The vitest global setup is at
 * `@kubernaut-e2e/datastorage/vitest`.
 */
export type { InfrastructureHandle, SetupOptions } from '@kubernaut-e2e/setup';
export { dataStorageService, setupDataStorageInfrastructure } from './datastorage.js';
export { actionTypeSeed, E2E_ACTION_TYPES } from './stack/action-types.js';
export { dataStorageConfig, dataStorageStack, TEST_DATABASE } from './stack/datastorage-stack.js';
