export {
  type CleanupFailure,
  type CleanupReport,
  type LedgerEntry,
  type LedgerKind,
  type LedgerRecord,
  RunLedger,
  type RunLedgerOptions,
} from './run-ledger.js';
export { installSignalCleanup, type SignalCleanupOptions } from './signal-cleanup.js';
