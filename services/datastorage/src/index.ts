/**
 * @kubernaut-e2e/datastorage — DataStorage's E2E infrastructure, and the base every kubernaut service's setup
 * builds on: the DataStorage stack (PostgreSQL, Redis, migrations, DataStorage), the setup runtime (options,
 * toolchain selection, the infrastructure handle) and the vitest global-setup helper.
 */
export { dataStorageService, setupDataStorageInfrastructure } from './datastorage.js';
export { kindConfigFor, readProjectCrds } from './runtime/cluster-config.js';
export type { InfrastructureHandle } from './runtime/handle.js';
export { assertHostPortsFree, isHostPortFree } from './runtime/host-ports.js';
export { FIXTURE_PROJECT_ROOT, resolveProjectRoot } from './runtime/project-root.js';
export type { DeclareContext, DeclaredService, ServiceDefinition } from './runtime/service-definition.js';
export {
  KUBERNAUT_NAMESPACE,
  type ResolvedSetup,
  resolveSetup,
  setupInfrastructure,
  traceOfFailedSetup,
} from './runtime/setup-infrastructure.js';
export {
  KEEP_POLICIES,
  type KeepPolicy,
  keepFromEnvironment,
  PATTERNS,
  type Pattern,
  RUNTIMES,
  type RuntimeName,
  type SetupOptions,
  setupOptionsSchema,
} from './runtime/setup-options.js';
export {
  createToolchain,
  type RealEngine,
  type ResolvedToolchain,
  resolveRuntime,
} from './runtime/toolchain.js';
export {
  createGlobalSetup,
  type ProvidedInfrastructure,
  type ProvidingProject,
} from './runtime/vitest-global-setup.js';
export {
  type DataStorageStack,
  dataStorageImage,
  dataStorageStack,
  inClusterDataStorageUrl,
  NODE_PORTS,
  type PortMapping,
  requirePort,
  TEST_DATABASE,
} from './stack/datastorage-stack.js';

import { setupDataStorageInfrastructure } from './datastorage.js';
import type { SetupOptions } from './runtime/setup-options.js';
import { createGlobalSetup } from './runtime/vitest-global-setup.js';

/** vitest `globalSetup` for DataStorage suites: `export default dataStorageGlobalSetup({ runtime: 'sim' })`. */
export function dataStorageGlobalSetup(options?: SetupOptions) {
  return createGlobalSetup(setupDataStorageInfrastructure, options);
}
