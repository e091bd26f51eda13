import { formatArgv } from '../errors/command-error.js';
import type { LedgerKind } from './ledger-file.js';

export interface CleanupFailure {
  readonly name: string;
  readonly kind: LedgerKind;
  /** Why it is not gone: the removal's error, or that it still exists after a removal that "succeeded". */
  readonly error: Error;
  /** The argv that removes it by hand, when the entry recorded one (e.g. `['podman', 'rmi', '-f', ref]`). */
  readonly removeCommand?: readonly string[];
}

/** Something cleanup could not remove, and how to remove it. */
export interface LeftResource {
  readonly kind: LedgerKind;
  readonly name: string;
  readonly reason: string;
  readonly removeCommand?: readonly string[];
}

export interface CleanupReport {
  /** Names removed — each checked to be gone when the entry can be checked — in removal order. */
  readonly disposed: readonly string[];
  /** Entries that are not verifiably gone: the removal threw or timed out, or the thing is still there. */
  readonly failed: readonly CleanupFailure[];
  /** Entries spared by `keepKinds` (still exist, deliberately). */
  readonly kept: readonly { readonly name: string; readonly kind: LedgerKind }[];
  /** What this cleanup leaves behind against its will (the failed entries), each with its removal command. */
  readonly left: readonly LeftResource[];
}

/** `podman rmi -f 'x y'` — shell-quoted so it can be pasted. */
export function formatRemoveCommand(argv: readonly string[]): string {
  return formatArgv(argv);
}

/**
 * Human lines for a report: the counts, then one line per resource left behind with the command that
 * removes it. The counts only ever say "removed" for what was checked to be gone.
 */
export function formatCleanupReport(report: CleanupReport): string[] {
  const lines = [
    `cleanup removed ${report.disposed.length}, failed ${report.failed.length}, kept ${report.kept.length}`,
  ];
  for (const left of report.left) {
    lines.push(
      left.removeCommand
        ? `left ${left.kind} ${left.name} (${left.reason}); remove it with: ${formatRemoveCommand(left.removeCommand)}`
        : `left ${left.kind} ${left.name} (${left.reason}); no command is known to remove it`,
    );
  }
  return lines;
}
