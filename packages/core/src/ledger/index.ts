export {
  type CleanupFailure,
  type CleanupReport,
  formatCleanupReport,
  formatRemoveCommand,
  type LeftResource,
} from './cleanup-report.js';
export type {
  LedgerKind,
  PersistedEntry,
  PersistedRun,
  ResourceDescriptor,
} from './ledger-file.js';
export {
  OPEN_LEDGERS_KEY,
  type OpenLedger,
  type UnsettledResource,
  unsettledResources,
} from './open-ledgers.js';
export {
  type CleanupOrphanOptions,
  cleanupOrphanedRun,
  type FindOrphanedRunsResult,
  findOrphanedRuns,
  fsRemover,
  type OrphanedRun,
  type OrphanRemover,
  processRemover,
  processResource,
  type UnreadableRun,
} from './orphans.js';
export {
  isProcessAlive,
  type ProcessIdentity,
  processIdentity,
  processStartTime,
} from './process-identity.js';
export {
  type LedgerEntry,
  type LedgerPersistence,
  type LedgerRecord,
  newRunId,
  RunLedger,
  type RunLedgerOptions,
  tempDirRecord,
} from './run-ledger.js';
export { installSignalCleanup, type SignalCleanupOptions } from './signal-cleanup.js';
export { ENV_STATE_DIR, resolveStateDir, runsDir } from './state-dir.js';
