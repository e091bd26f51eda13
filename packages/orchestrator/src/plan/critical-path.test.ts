import { describe, expect, it } from 'vitest';
import { buildSlotsBound, criticalPath } from './critical-path.js';
import type { Plan, PlanStep } from './types.js';

const step = (id: string, resource: PlanStep['resource'], deps: string[] = []): PlanStep =>
  ({
    id,
    kind: resource === 'build' ? 'build' : 'deploy',
    label: id,
    deps,
    resource,
    payload: {},
  }) as unknown as PlanStep;

/** Five 10 s builds, each followed by its own 1 s deploy: the chain is 11 s, but two slots cannot build in 11 s. */
const plan = {
  steps: [
    ...[1, 2, 3, 4, 5].map((n) => step(`build:${n}`, 'build')),
    ...[1, 2, 3, 4, 5].map((n) => step(`deploy:${n}`, 'kube', [`build:${n}`])),
  ],
} as unknown as Plan;
const durations = (s: PlanStep) => (s.resource === 'build' ? 10_000 : 1_000);

describe('buildSlotsBound', () => {
  it('spreads the build work over the slots and adds what must follow: 50 s / 2 + 1 s', () => {
    expect(criticalPath(plan, durations).lengthMs).toBe(11_000);
    expect(buildSlotsBound(plan, durations, 2)).toBe(26_000);
  });

  it('is below the critical path when the slots are enough, so the critical path stays the bound', () => {
    expect(buildSlotsBound(plan, durations, 5)).toBe(11_000);
    expect(buildSlotsBound(plan, durations, 8)).toBeLessThan(11_000);
  });
});
