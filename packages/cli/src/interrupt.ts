import { ConfigError } from '@kubernaut-e2e/core/errors';
import type { CliArgs } from './args.js';

/*
 * How the binary leaves after SIGINT/SIGTERM, in bounded time: the first signal cancels the run (which removes what
 * it created and exits 130/143); if that has not happened within the exit deadline (10 s unless
 * KUBERNAUT_E2E_EXIT_DEADLINE says otherwise), or a second signal comes, the process exits at once and says what
 * is still there and the `down` command that removes it. A CI job's cancel grace period (often 10 s before SIGKILL)
 * then never cuts the cleanup short without a word.
 */

/** Shell convention: 128 + the signal's number. */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
export const DEFAULT_EXIT_DEADLINE_MS = 10_000;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000 };

/**
 * `KUBERNAUT_E2E_EXIT_DEADLINE`: how long after SIGINT/SIGTERM the process may take to clean up before it exits
 * anyway (`10s`, `2500ms`, `1m`). Refuses anything else, so a typo never means "no deadline".
 */
export function exitDeadlineFromEnvironment(env: NodeJS.ProcessEnv): number {
  const value = env.KUBERNAUT_E2E_EXIT_DEADLINE?.trim();
  if (!value) return DEFAULT_EXIT_DEADLINE_MS;
  const match = /^(\d+)(ms|s|m)$/.exec(value);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : 0;
  if (!match || ms <= 0 || !Number.isSafeInteger(ms)) {
    throw ConfigError.field(
      'KUBERNAUT_E2E_EXIT_DEADLINE',
      `cannot read "${value}"; give a positive duration in ms, s or m, e.g. 10s (how long cleanup may take after Ctrl-C)`,
      'environment',
    );
  }
  return ms;
}

/** Something a run created and has not removed yet (core's `UnsettledResource`). */
export interface LeftBehind {
  readonly kind: string;
  readonly name: string;
}

export interface InterruptOptions {
  readonly deadlineMs: number;
  /** Cancels the run (the first signal). */
  readonly cancel: (reason: Error) => void;
  readonly stderr: (text: string) => void;
  readonly exit: (code: number) => void;
  /** What the run's ledgers still hold, read when the process must leave before cleanup ended. */
  readonly leftBehind: () => readonly LeftBehind[];
  /** The command that removes what a run of this invocation left (`kubernaut-e2e down …`), if it has one. */
  readonly downCommand: () => string | undefined;
  /** Timers, injectable for tests; the deadline's timer never keeps the process alive by itself. */
  readonly setTimer?: (fn: () => void, ms: number) => { unref?: () => unknown };
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The signal handler: first signal cancels, the deadline or a second signal exits at once. */
export function createInterruptHandler(options: InterruptOptions): (signal: NodeJS.Signals) => void {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  let first: NodeJS.Signals | undefined;
  let exited = false;
  const exitNow = (why: string) => {
    if (exited) return;
    exited = true;
    const code = EXIT_CODES[first as keyof typeof EXIT_CODES] ?? 130;
    const left = options.leftBehind();
    const down = options.downCommand();
    const lines = [`\nExiting now (${why}), before cleanup finished.`];
    if (left.length === 0) lines.push('Nothing this run created is left.');
    else {
      lines.push('Left behind:', ...left.map((r) => `  ${r.kind} ${r.name}`));
      lines.push(
        down
          ? `Remove it with: ${down}`
          : 'Remove it with `kubernaut-e2e down <service>` (`kubernaut-e2e status` lists it).',
      );
    }
    options.stderr(`${lines.join('\n')}\n`);
    options.exit(code);
  };
  return (signal) => {
    if (first !== undefined) {
      exitNow(`a second ${signal}`);
      return;
    }
    first = signal;
    options.stderr(
      `\n${signal}: cancelling and cleaning up (at most ${seconds(options.deadlineMs)}; again to exit now)…\n`,
    );
    options.cancel(new Error(`interrupted by ${signal}`));
    setTimer(
      () => exitNow(`cleanup did not end within ${seconds(options.deadlineMs)} of ${signal}`),
      options.deadlineMs,
    ).unref?.();
  };
}

/** `kubernaut-e2e down <service> …` for an invocation that sets a service up (up, dev), with what selects its run. */
export function downCommandFor(args: CliArgs | undefined): string | undefined {
  if (!args || (args.command !== 'up' && args.command !== 'dev') || !args.services[0]) return undefined;
  return [
    'kubernaut-e2e down',
    args.services[0],
    ...(args.clusterName ? ['--cluster-name', args.clusterName] : []),
    ...(args.runtime ? ['--runtime', args.runtime] : []),
    ...(args.config ? ['--config', args.config] : []),
  ].join(' ');
}

/** Where core's run ledgers register while they hold something (core's `OPEN_LEDGERS_KEY`; read without loading core). */
export const OPEN_LEDGERS = Symbol.for('kubernaut-e2e.open-ledgers');

/** What every open ledger of this process still holds. */
export function openLedgersLeftBehind(): LeftBehind[] {
  const ledgers = (globalThis as { [OPEN_LEDGERS]?: Set<{ unsettled: readonly LeftBehind[] }> })[
    OPEN_LEDGERS
  ];
  return [...(ledgers ?? [])].flatMap((ledger) => ledger.unsettled);
}
