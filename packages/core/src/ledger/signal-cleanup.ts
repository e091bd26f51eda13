import { formatRemoveCommand } from './cleanup-report.js';
import type { RunLedger } from './run-ledger.js';

/** Shell convention: 128 + signal number. */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export interface SignalCleanupOptions {
  /** How to leave after cleanup; `process.exit` by default. */
  readonly exit?: (code: number) => void;
}

/**
 * On SIGINT or SIGTERM: clean the ledger up, then exit 130 / 143. A second signal while cleanup runs
 * exits at once (the user pressed Ctrl-C twice). Exiting also sends SIGTERM to commands the runner still
 * has running (they run in their own process groups, which a terminal's Ctrl-C does not reach).
 * Returns a function that removes the handlers (call it in the same `finally` as `cleanup()`).
 */
export function installSignalCleanup(ledger: RunLedger, options: SignalCleanupOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let handling = false;
  const handler = (signal: NodeJS.Signals): void => {
    const code = EXIT_CODES[signal as keyof typeof EXIT_CODES] ?? 1;
    if (handling) {
      exit(code);
      return;
    }
    handling = true;
    process.stderr.write(`\nkubernaut-e2e: ${signal} received, cleaning up (send it again to exit now)…\n`);
    void ledger.cleanup().then((report) => {
      for (const failure of report.failed) {
        const how = failure.removeCommand
          ? `; remove it with: ${formatRemoveCommand(failure.removeCommand)}`
          : '';
        process.stderr.write(
          `kubernaut-e2e: could not remove ${failure.kind} ${failure.name}: ${failure.error.message}${how}\n`,
        );
      }
      exit(code);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
