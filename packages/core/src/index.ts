/**
 * @kubernaut-e2e/core — the ports every adapter implements, typed errors with stable codes, input
 * validation, the command runner, the run ledger and the event stream.
 */

export { realClock } from './clock/real-clock.js';
export * from './errors/index.js';
export { EventStream, type RunEvent, type RunEventListener, type StepOutcome } from './events.js';
export {
  type CleanupFailure,
  type CleanupReport,
  installSignalCleanup,
  type LedgerEntry,
  type LedgerKind,
  type LedgerRecord,
  RunLedger,
  type RunLedgerOptions,
  type SignalCleanupOptions,
} from './ledger/index.js';
export * from './ports/index.js';
export { type CommandRunnerOptions, createCommandRunner, installHint } from './runner/index.js';
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
  pathInsideRoot,
} from './validation/index.js';
