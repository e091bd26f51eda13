/**
 * @kubernaut-e2e/test-harness — private, never published: the real-binary stand-ins that tests (and the
 * `bench:load` script) of several packages share. Each harness starts real processes in its own temp
 * directory and removes everything on `stop()`.
 */

export {
  type FakeCluster,
  HASH_LABEL,
  isAlive,
  KindAndApiServer,
  nodeImageIds,
} from './kind-and-api-server.js';
export { KindNodeEmulator } from './kind-node-emulator.js';
export {
  freeLoopbackPort,
  type LocalRegistry,
  type LocalRegistryOptions,
  startLocalRegistry,
} from './local-registry.js';
export {
  findPostgresBinDir,
  leftoverHarnessDirs,
  type PostgresServer,
  startPostgres,
} from './postgres-harness.js';
export { type PrivateContainerd, startPrivateContainerd } from './private-containerd.js';
export {
  type PrivateDockerd,
  type PrivateDockerdOptions,
  startPrivateDockerd,
  withEnv,
} from './private-dockerd.js';
