/**
 * @kubernaut-e2e/test-harness — private, never published: the real-binary stand-ins that tests (and the
 * `bench:load` script) of several packages share. Each harness starts real processes in its own temp
 * directory and removes everything on `stop()`.
 */

export { ExistingClusterStandIn, type ExistingClusterStandInOptions } from './existing-cluster-stand-in.js';
export {
  type FakeCluster,
  HASH_LABEL,
  isAlive,
  KindAndApiServer,
  nodeImageIds,
} from './kind-and-api-server.js';
export { KindNodeEmulator } from './kind-node-emulator.js';
export {
  LEFTOVER_KINDS,
  type LeftoverKind,
  leftoverCount,
  type MatrixRow,
  markedProcesses,
  newSince,
  renderMatrix,
  type Sweep,
  type SweepScope,
  sweep,
} from './leftover-sweep.js';
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
export { type PrivatePodmanStore, startPrivatePodmanStore } from './private-podman-store.js';
export { isSleepRunning, until } from './process-table.js';
export { runNodeScript, type ScriptExit } from './run-node-script.js';
export {
  type CommandFault,
  STAND_IN_STEPS,
  StandInBin,
  type StandInStep,
  stepOfCommand,
} from './stand-in-bin.js';
export { tinyRootfsTar } from './tiny-base-image.js';
