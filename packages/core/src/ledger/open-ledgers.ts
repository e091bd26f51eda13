import type { LedgerKind } from './ledger-file.js';

/**
 * What this process's run ledgers still hold, for a process that must exit before their cleanup ends (a second
 * Ctrl-C, the CLI's exit deadline): it says what is left instead of leaving silently. Process-wide on purpose and
 * keyed with `Symbol.for`, so the CLI's binary reads it without loading the ledger, and a project config that loaded
 * its own copy of this package still registers in the same place.
 */
export const OPEN_LEDGERS_KEY = Symbol.for('kubernaut-e2e.open-ledgers');

/** One resource a ledger has not (verifiably) removed yet. */
export interface UnsettledResource {
  readonly runId: string;
  readonly kind: LedgerKind;
  readonly name: string;
  readonly removeCommand?: readonly string[];
}

/** A ledger as the registry sees it. */
export interface OpenLedger {
  readonly unsettled: readonly UnsettledResource[];
}

function registry(): Set<OpenLedger> {
  const holder = globalThis as { [OPEN_LEDGERS_KEY]?: Set<OpenLedger> };
  holder[OPEN_LEDGERS_KEY] ??= new Set();
  return holder[OPEN_LEDGERS_KEY];
}

export function registerOpenLedger(ledger: OpenLedger): void {
  registry().add(ledger);
}

export function unregisterOpenLedger(ledger: OpenLedger): void {
  registry().delete(ledger);
}

/** Everything every open ledger of this process still holds (being removed right now included), oldest run first. */
export function unsettledResources(): UnsettledResource[] {
  return [...registry()].flatMap((ledger) => ledger.unsettled);
}
