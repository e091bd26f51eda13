import { kindConfigFor } from './runtime/cluster-config.js';
import type { InfrastructureHandle } from './runtime/handle.js';
import type { ServiceDefinition } from './runtime/service-definition.js';
import { setupInfrastructure } from './runtime/setup-infrastructure.js';
import type { SetupOptions } from './runtime/setup-options.js';
import { dataStorageStack } from './stack/datastorage-stack.js';

/**
 * DataStorage's own suite: its image, PostgreSQL (published on a host port), Redis, the migrations and
 * DataStorage, ready when its API answers. No CRDs.
 */
export const dataStorageService: ServiceDefinition = {
  service: 'datastorage',
  defaultHostPorts: { datastorage: 28081, postgresql: 25432 },
  async declare(context) {
    const stack = dataStorageStack(context);
    return {
      declaration: {
        service: 'datastorage',
        images: stack.images,
        cluster: {
          name: context.clusterName,
          kubeconfigPath: context.kubeconfigPath,
          config: kindConfigFor(context, stack.portMappings),
        },
        namespace: { name: context.namespace },
        components: stack.components,
      },
      endpoints: {
        ...stack.endpoints,
        metricsUrl: `http://data-storage-service.${context.namespace}.svc.cluster.local:9181/metrics`,
      },
    };
  },
};

/** Sets up DataStorage's E2E infrastructure (see `SetupOptions`). */
export function setupDataStorageInfrastructure(options?: SetupOptions): Promise<InfrastructureHandle> {
  return setupInfrastructure(dataStorageService, options);
}
