import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { gatewayDeclaration } from '../__fixtures__/gateway.js';
import { runPlan } from '../scheduler/run-plan.js';
import { durationsFromTrace } from '../trace/analysis.js';
import { planSetup } from './plan-setup.js';
import { planSummary, renderPlan } from './render-plan.js';

describe('renderPlan', () => {
  it('lists every step after the steps it waits for', () => {
    const plan = planSetup(gatewayDeclaration(), { pattern: 'hybrid' });
    const lines = renderPlan(plan).split('\n');
    expect(lines[0]).toBe('gateway · hybrid · 20 steps (2 finalizers)');
    const position = (id: string) => lines.findIndex((l) => l.startsWith(`  ${id} `));
    for (const step of plan.steps) {
      expect(position(step.id)).toBeGreaterThan(0);
      for (const dep of step.deps) expect(position(dep)).toBeLessThan(position(step.id));
    }
    expect(lines[position('cluster')]).toMatch(
      /create cluster gateway-e2e {2}← build:datastorage, build:gateway$/,
    );
  });

  it('shows predicted durations and the critical path taken from a simulated run', async () => {
    const plan = planSetup(gatewayDeclaration());
    const { trace } = await runPlan(plan, createSimToolchain());
    const text = renderPlan(plan, { durations: durationsFromTrace(trace) });
    expect(text).toMatch(/build:gateway\s+build\s+1m45s {2}build image kubernaut\/gateway/);
    expect(text.split('\n').at(-1)).toBe(
      'critical path 2m08s: build:gateway → load:gateway → deploy:gateway → ready:gateway',
    );
  });
});

describe('planSummary', () => {
  it('is JSON-safe and keeps ids, kinds, resources and edges', () => {
    const plan = planSetup(gatewayDeclaration(), { pattern: 'standard' });
    const summary = JSON.parse(JSON.stringify(planSummary(plan)));
    expect(summary.pattern).toBe('standard');
    expect(summary.steps).toHaveLength(plan.steps.length);
    expect(summary.steps.find((s: { id: string }) => s.id === 'build:gateway')).toEqual({
      id: 'build:gateway',
      kind: 'build',
      label: 'build image kubernaut/gateway',
      resource: 'build',
      deps: ['namespace'],
    });
  });
});
