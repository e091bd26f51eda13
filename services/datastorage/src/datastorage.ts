import { defineService, type SetupOptions, setupInfrastructure } from '@kubernaut-e2e/setup';
import { dataStorageStack } from './stack/datastorage-stack.js';

/**
 * DataStorage's own suite, as kubernaut runs it (`SetupDataStorageInfrastructureParallel`): namespace
 * `datastorage-e2e`, the repository's `test/infrastructure/kind-datastorage-config.yaml` (API on 28090, health on
 * 28092, metrics on 28091, PostgreSQL on 25433), the DataStorage stack; ready when its health port answers `/readyz`.
 * The suite seeds its ActionTypes itself.
 */
export const dataStorageService = defineService({
  name: 'datastorage',
  description: 'DataStorage with PostgreSQL, Redis and the migrations',
  // The names the suite's own code looks for (`datastorage_e2e_suite_test.go`).
  cluster: { name: 'datastorage-e2e', kubeconfig: '~/.kube/datastorage-e2e-config' },
  namespace: 'datastorage-e2e',
  kindConfig: 'test/infrastructure/kind-datastorage-config.yaml',
  uses: [dataStorageStack],
  hostPorts: { datastorage: 28090, datastorageHealth: 28092, datastorageMetrics: 28091, postgresql: 25433 },
});

/** Sets up DataStorage's E2E infrastructure (see `SetupOptions`). */
export function setupDataStorageInfrastructure(options?: SetupOptions) {
  return setupInfrastructure(dataStorageService, options);
}
