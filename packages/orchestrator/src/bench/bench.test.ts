import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { gatewayDeclaration } from '../__fixtures__/gateway.js';
import { validatePlan } from '../plan/validate.js';
import { BENCH_TARGETS, BenchRunError, benchmarkPatterns } from './benchmark-patterns.js';
import { formatBenchmark } from './format-bench.js';
import { measureSchedulerOverhead, syntheticPlan } from './scheduler-overhead.js';

const simFor = (scenario: string) =>
  createSimToolchain({ cachedImages: scenario === 'cold' ? 'none' : 'all' });

describe('benchmarkPatterns on the simulator', () => {
  it('predicts the contract makespans and meets every ratio target for the gateway', async () => {
    const report = await benchmarkPatterns(gatewayDeclaration(), simFor);
    const cold = Object.fromEntries(
      report.rows
        .filter((r) => r.scenario === 'cold')
        .map((r) => [r.pattern, [r.makespanMs, r.criticalPathMs]]),
    );
    expect(cold).toEqual({
      standard: [173_000, 173_000],
      hybrid: [168_000, 168_000],
      dag: [128_000, 128_000],
    });
    expect(report.rows).toHaveLength(9);
    for (const [key, value] of Object.entries(report.ratios)) {
      expect(value, key).toBeLessThanOrEqual(BENCH_TARGETS[key as keyof typeof BENCH_TARGETS]);
    }
    expect(Object.keys(report.ratios)).toHaveLength(6);
  });

  it('primes the reused-cluster scenario so the measured run reuses the cluster and its images', async () => {
    const report = await benchmarkPatterns(gatewayDeclaration(), simFor, {
      scenarios: ['warm-reused-cluster'],
      patterns: ['dag'],
    });
    const trace = report.rows[0]!.trace;
    expect(trace.steps.find((s) => s.id === 'cluster')?.note).toMatch(/reused/);
    // Both cached builds and the reused cluster are ready at 1 s: a load call per free slot, nothing new to import.
    for (const id of ['load:gateway', 'load:datastorage'])
      expect(trace.steps.find((s) => s.id === id)).toMatchObject({ note: 'loaded 0, already present 1' });
    expect(report.ratios).toEqual({});
  });

  it('names the pattern and scenario of a run that failed', async () => {
    const broken = () => createSimToolchain({ faults: [{ op: 'cluster-create', fail: true }] });
    const run = benchmarkPatterns(gatewayDeclaration(), broken, {
      scenarios: ['cold'],
      patterns: ['hybrid'],
    });
    await expect(run).rejects.toThrow(BenchRunError);
    await expect(
      benchmarkPatterns(gatewayDeclaration(), broken, { scenarios: ['cold'], patterns: ['hybrid'] }),
    ).rejects.toThrow(/benchmark run hybrid\/cold failed: step cluster failed/);
  });

  it('formats a table with every row and a verdict per ratio', async () => {
    const report = await benchmarkPatterns(gatewayDeclaration(), simFor, ['cold']);
    expect(report.rows.map((r) => r.scenario)).toEqual(['cold', 'cold', 'cold']);
    const text = formatBenchmark(report, 'gateway — predicted by the model');
    expect(text.split('\n')[0]).toBe('gateway — predicted by the model');
    expect(text).toMatch(/cold\s+standard\s+2m53s\s+2m53s/);
    expect(text).toMatch(/cold\s+dag\s+2m08s\s+2m08s/);
    expect(text).toMatch(/dag \/ standard \(cold\)\s+0\.740\s+\(target ≤ 0\.75: meets\)/);
  });
});

describe('scheduler overhead', () => {
  it('builds a valid synthetic graph with long chains and wide layers', () => {
    const plan = syntheticPlan(1_000);
    expect(plan.steps).toHaveLength(1_000);
    expect(() => validatePlan(plan)).not.toThrow();
    expect(plan.steps.filter((s) => s.deps.length === 0).length).toBeGreaterThan(1);
    expect(plan.steps.filter((s) => s.deps.length === 2).length).toBeGreaterThan(500);
  });

  it('runs the synthetic graph with no-op handlers and reports ms per step', async () => {
    const report = await measureSchedulerOverhead({ steps: 300 });
    expect(report.steps).toBe(300);
    expect(report.msPerStep).toBeCloseTo(report.wallMs / 300, 10);
  });
});
