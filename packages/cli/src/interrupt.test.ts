import { OPEN_LEDGERS_KEY, RunLedger } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';
import {
  createInterruptHandler,
  DEFAULT_EXIT_DEADLINE_MS,
  downCommandFor,
  exitDeadlineFromEnvironment,
  type LeftBehind,
  OPEN_LEDGERS,
  openLedgersLeftBehind,
} from './interrupt.js';

function handler(left: readonly LeftBehind[] = [], down: string | undefined = 'kubernaut-e2e down gateway') {
  const out: string[] = [];
  const exits: number[] = [];
  const cancelled: string[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const onSignal = createInterruptHandler({
    deadlineMs: 10_000,
    cancel: (reason) => cancelled.push(reason.message),
    stderr: (text) => out.push(text),
    exit: (code) => exits.push(code),
    leftBehind: () => left,
    downCommand: () => down,
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return {};
    },
  });
  return { onSignal, out, exits, cancelled, timers };
}

describe('the interrupt handler: every way out bounded in time', () => {
  it('the first SIGINT cancels the run and arms the exit deadline; nothing exits yet', () => {
    const h = handler();
    h.onSignal('SIGINT');
    expect(h.cancelled).toEqual(['interrupted by SIGINT']);
    expect(h.exits).toEqual([]);
    expect(h.timers.map((t) => t.ms)).toEqual([10_000]);
    expect(h.out.join('')).toContain('at most 10 s; again to exit now');
  });

  it('a second signal exits at once with 130, listing what is left and the down command', () => {
    const h = handler([
      { kind: 'cluster', name: 'gateway-e2e' },
      { kind: 'image', name: 'localhost/kubernaut/gateway:abc' },
    ]);
    h.onSignal('SIGINT');
    h.onSignal('SIGINT');
    expect(h.exits).toEqual([130]);
    const text = h.out.join('');
    expect(text).toContain('Exiting now (a second SIGINT), before cleanup finished.');
    expect(text).toContain('  cluster gateway-e2e\n  image localhost/kubernaut/gateway:abc');
    expect(text).toContain('Remove it with: kubernaut-e2e down gateway');
  });

  it('past the deadline it exits by itself (143 after SIGTERM), once, saying nothing is left when nothing is', () => {
    const h = handler([]);
    h.onSignal('SIGTERM');
    h.timers[0]!.fn();
    h.onSignal('SIGTERM');
    expect(h.exits).toEqual([143]);
    expect(h.out.join('')).toContain('cleanup did not end within 10 s of SIGTERM');
    expect(h.out.join('')).toContain('Nothing this run created is left.');
  });

  it('reads what open ledgers hold, the entry being removed included, until their cleanup ends', async () => {
    expect(OPEN_LEDGERS).toBe(OPEN_LEDGERS_KEY);
    const ledger = new RunLedger({ runId: 'interrupt-test' });
    let release: () => void = () => {};
    const removing = new Promise<void>((resolve) => {
      release = resolve;
    });
    ledger.record({ kind: 'cluster', name: 'interrupt-test-cluster', dispose: () => removing });
    ledger.record({ kind: 'image', name: 'interrupt-test-image', dispose: async () => {} });
    const mine = () => openLedgersLeftBehind().filter((r) => r.name.startsWith('interrupt-test'));
    expect(mine().map((r) => r.name)).toEqual(['interrupt-test-cluster', 'interrupt-test-image']);
    const cleanup = ledger.cleanup();
    // The image went first (newest first); the cluster's removal is under way, so it is still left.
    await new Promise((resolve) => setImmediate(resolve));
    expect(mine().map((r) => r.name)).toEqual(['interrupt-test-cluster']);
    release();
    await cleanup;
    expect(mine()).toEqual([]);
  });
});

describe('KUBERNAUT_E2E_EXIT_DEADLINE', () => {
  it('defaults to 10 s and reads ms, s and m', () => {
    expect(exitDeadlineFromEnvironment({})).toBe(DEFAULT_EXIT_DEADLINE_MS);
    expect(exitDeadlineFromEnvironment({ KUBERNAUT_E2E_EXIT_DEADLINE: '2500ms' })).toBe(2500);
    expect(exitDeadlineFromEnvironment({ KUBERNAUT_E2E_EXIT_DEADLINE: '30s' })).toBe(30_000);
    expect(exitDeadlineFromEnvironment({ KUBERNAUT_E2E_EXIT_DEADLINE: '1m' })).toBe(60_000);
  });

  it.each(['10', '0s', '-1s', 'soon'])('refuses %j, naming the variable and what is allowed', (value) => {
    const refuse = () => exitDeadlineFromEnvironment({ KUBERNAUT_E2E_EXIT_DEADLINE: value });
    expect(refuse).toThrow(/→ at KUBERNAUT_E2E_EXIT_DEADLINE/);
    expect(refuse).toThrow(/positive duration in ms, s or m/);
  });
});

describe('the down command printed when leaving early', () => {
  it('names the service and what selects the run', () => {
    expect(
      downCommandFor(parseCliArgs(['up', 'gateway', '--cluster-name', 'ci-1', '--runtime', 'docker'], {})),
    ).toBe('kubernaut-e2e down gateway --cluster-name ci-1 --runtime docker');
    expect(downCommandFor(parseCliArgs(['plan', 'gateway'], {}))).toBeUndefined();
  });
});
