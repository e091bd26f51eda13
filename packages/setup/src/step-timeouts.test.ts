import { describe, expect, it } from 'vitest';
import { stepTimeoutsFromEnvironment } from './step-timeouts.js';

describe('KUBERNAUT_E2E_STEP_TIMEOUTS', () => {
  it('reads a deadline per step kind', () => {
    expect(
      stepTimeoutsFromEnvironment({ KUBERNAUT_E2E_STEP_TIMEOUTS: 'build=15m, load=90s,wait-ready=1500ms' }),
    ).toEqual({ build: 900_000, load: 90_000, 'wait-ready': 1_500 });
  });

  it('reads deadlines for the manifests and seed steps too', () => {
    expect(stepTimeoutsFromEnvironment({ KUBERNAUT_E2E_STEP_TIMEOUTS: 'manifests=30s,seed=2m' })).toEqual({
      manifests: 30_000,
      seed: 120_000,
    });
  });

  it('is absent when unset or empty', () => {
    expect(stepTimeoutsFromEnvironment({})).toBeUndefined();
    expect(stepTimeoutsFromEnvironment({ KUBERNAUT_E2E_STEP_TIMEOUTS: ' ' })).toBeUndefined();
  });

  it.each(['build', 'build=', 'build=5', 'bild=5s', 'teardown=5s', 'build=0s', 'build=-1s'])(
    'refuses %j, naming the variable',
    (value) => {
      expect(() => stepTimeoutsFromEnvironment({ KUBERNAUT_E2E_STEP_TIMEOUTS: value })).toThrow(
        /KUBERNAUT_E2E_STEP_TIMEOUTS/,
      );
    },
  );
});
