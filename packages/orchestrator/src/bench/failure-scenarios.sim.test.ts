import { createSimToolchain, type FaultPlan } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { gatewayDeclaration } from '../__fixtures__/gateway.js';
import { benchmarkFailures, type FailureKind, failureScenarios } from './failure-scenarios.js';
import { formatFailureBenchmark } from './format-bench.js';

const scenarios = failureScenarios(gatewayDeclaration());
const simFor = (scenario: { faults: readonly object[] }) =>
  createSimToolchain({ faults: scenario.faults as FaultPlan, cachedImages: 'none' });

async function rowsOf(kind: FailureKind) {
  const scenario = scenarios.find((s) => s.kind === kind);
  expect(scenario, kind).toBeDefined();
  const rows = await benchmarkFailures([scenario!], simFor, { runOptions: { teardownOnSuccess: false } });
  const by = Object.fromEntries(rows.map((r) => [r.pattern, r]));
  // The dag pattern reports a failure no later than the standard one would.
  expect(by.dag!.failFastMs).toBeLessThanOrEqual(by.standard!.failFastMs);
  expect(by.dag!.deadlineMs).toBeLessThanOrEqual(by.standard!.deadlineMs);
  return { rows, by };
}

describe('failing scenarios on the simulator: when the failure is reported, before and after fail-fast', () => {
  it('crash at start: reported after two back-offs (≤ 40 s after the first start), not at the 3 min deadline', async () => {
    const { rows } = await rowsOf('crash-at-start');
    for (const r of rows) {
      expect(r.failedStep).toBe('ready:datastorage');
      expect(r.deadlineMs - r.failFastMs).toBeGreaterThan(120_000);
    }
  });

  it('image never loaded: reported at the first read of the pod, not at the deadline', async () => {
    const { rows } = await rowsOf('image-never-loaded');
    for (const r of rows) {
      expect(r.failedStep).toBe('ready:datastorage');
      expect(r.deadlineMs - r.failFastMs).toBeGreaterThan(170_000);
    }
  });

  it('missing ConfigMap key: CreateContainerConfigError is reported at once', async () => {
    const { rows } = await rowsOf('missing-configmap-key');
    for (const r of rows) {
      expect(r.failedStep).toBe('ready:datastorage');
      expect(r.deadlineMs - r.failFastMs).toBeGreaterThan(170_000);
    }
  });

  it('migration error: no rollout involved, reported as soon as the migration fails either way', async () => {
    const { rows } = await rowsOf('migration-error');
    for (const r of rows) {
      expect(r.failedStep).toMatch(/^migrate:/);
      expect(r.failFastMs).toBe(r.deadlineMs);
    }
  });

  it('build error: reported when the build fails either way', async () => {
    const { rows } = await rowsOf('build-error');
    for (const r of rows) {
      expect(r.failedStep).toMatch(/^build:/);
      expect(r.failFastMs).toBe(r.deadlineMs);
    }
    expect(formatFailureBenchmark(rows)).toMatch(/build-error +dag +\S+ +\S+ +build:/);
  });
});
