import { PlanError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import type { Plan, PlanStep } from './types.js';
import { validatePlan } from './validate.js';

const build = (id: string, deps: string[] = []): PlanStep => ({
  id,
  kind: 'build',
  label: id,
  deps,
  resource: 'build',
  payload: { imageId: id, config: { serviceName: id, imageName: `x/${id}`, dockerfilePath: 'Dockerfile' } },
});
const plan = (steps: PlanStep[]): Plan => ({ service: 's', pattern: 'dag', steps, batchLoads: true });

describe('validatePlan', () => {
  it('accepts an acyclic graph', () => {
    expect(() => validatePlan(plan([build('a'), build('b', ['a'])]))).not.toThrow();
  });

  it('names the steps of a cycle', () => {
    const cyclic = plan([build('a', ['c']), build('b', ['a']), build('c', ['b'])]);
    expect(() => validatePlan(cyclic)).toThrow(PlanError);
    expect(() => validatePlan(cyclic)).toThrow(/cycle: a → c → b → a/);
  });

  it('names a dependency on a missing step', () => {
    expect(() => validatePlan(plan([build('a', ['ghost'])]))).toThrow(
      /step "a" depends on "ghost", which is not a step/,
    );
  });

  it('rejects duplicate ids', () => {
    expect(() => validatePlan(plan([build('a'), build('a')]))).toThrow(/two steps with the id "a"/);
  });

  it('keeps finalizers apart from setup steps', () => {
    const teardown: PlanStep = {
      id: 'teardown:cluster',
      kind: 'teardown',
      label: 'delete',
      deps: ['a'],
      resource: 'cluster',
      payload: { action: 'delete-cluster', clusterName: 'c' },
    };
    expect(() => validatePlan(plan([build('a'), teardown]))).toThrow(/teardown steps are finalizers/);
  });
});
