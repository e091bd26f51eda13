/**
 * @kubernaut-e2e/core — the ports every adapter implements, typed errors with stable codes, input
 * validation, the command runner, the run ledger and the event stream.
 */

export { realClock } from './clock/real-clock.js';
export * from './errors/index.js';
export { EventStream, type RunEvent, type RunEventListener, type StepOutcome } from './events.js';
export { isBuiltinKind, isClusterScoped } from './kube/kinds.js';
export {
  type CleanupFailure,
  type CleanupOrphanOptions,
  type CleanupReport,
  cleanupOrphanedRun,
  ENV_STATE_DIR,
  type FindOrphanedRunsResult,
  findOrphanedRuns,
  formatCleanupReport,
  formatRemoveCommand,
  fsRemover,
  installSignalCleanup,
  isProcessAlive,
  type LedgerEntry,
  type LedgerKind,
  type LedgerPersistence,
  type LedgerRecord,
  type LeftResource,
  newRunId,
  OPEN_LEDGERS_KEY,
  type OpenLedger,
  type OrphanedRun,
  type OrphanRemover,
  type PersistedEntry,
  type PersistedRun,
  type ProcessIdentity,
  processIdentity,
  processRemover,
  processResource,
  processStartTime,
  type ResourceDescriptor,
  RunLedger,
  type RunLedgerOptions,
  resolveStateDir,
  runsDir,
  type SignalCleanupOptions,
  tempDirRecord,
  type UnreadableRun,
  type UnsettledResource,
  unsettledResources,
} from './ledger/index.js';
export * from './ports/index.js';
export {
  type CommandRunnerOptions,
  createCommandRunner,
  installHint,
  runExitActions,
  setExitAction,
} from './runner/index.js';
export { CONTENT_HASH_LABEL, RUN_LABEL, SERVICE_LABEL } from './tags/image-labels.js';
export { contentHashTag, uniqueTag } from './tags/tags.js';
export {
  compareVersions,
  DEFAULT_TOOLS,
  detectTools,
  findExecutable,
  MINIMUM_VERSIONS,
  parseDockerVersion,
  parseKindVersion,
  parseKubectlClientVersion,
  parsePodmanVersion,
  parseVersion,
  requireTools,
  type ToolStatus,
  type ToolVersion,
} from './tools/index.js';
export {
  clusterNameSchema,
  configIssues,
  formatImageRef,
  formatIssuePath,
  hostPortSchema,
  hostPortsSchema,
  type ImageRef,
  imageNameSchema,
  imageRefSchema,
  imageTagSchema,
  isInside,
  kubeNameSchema,
  normalizeImageRef,
  parseImageRef,
  parseInput,
  parseRegistryAddress,
  pathInsideRoot,
  type RegistryAddress,
  registryAddressProblem,
  registryImageRef,
} from './validation/index.js';
