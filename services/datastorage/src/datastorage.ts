import {
  defineService,
  type InfrastructureHandle,
  type SetupOptions,
  setupInfrastructure,
} from '@kubernaut-e2e/setup';
import { dataStorageStack } from './stack/datastorage-stack.js';

/**
 * DataStorage's own suite, as kubernaut runs it: namespace `datastorage-e2e`, the repository's
 * `test/infrastructure/kind-datastorage-config.yaml` (which already maps both host ports), the whole
 * `config/crd/bases/`, PostgreSQL, Redis, the migrations and DataStorage, ready when its API answers.
 */
export const dataStorageService = defineService({
  name: 'datastorage',
  description: 'DataStorage with PostgreSQL, Redis and the migrations',
  namespace: 'datastorage-e2e',
  kindConfig: 'test/infrastructure/kind-datastorage-config.yaml',
  uses: [dataStorageStack],
  hostPorts: { datastorage: 28090, postgresql: 25433 },
  endpoints: ({ namespace }) => ({
    metricsUrl: `http://data-storage-service.${namespace}.svc.cluster.local:9181/metrics`,
  }),
});

/** Sets up DataStorage's E2E infrastructure (see `SetupOptions`). */
export function setupDataStorageInfrastructure(options?: SetupOptions): Promise<InfrastructureHandle> {
  return setupInfrastructure(dataStorageService, options);
}
