import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../plan/types.js';
import { batchLoads, chainLengths } from './batch-loads.js';

const load = (id: string): PlanStep => ({
  id,
  kind: 'load',
  label: id,
  deps: [],
  resource: 'load',
  payload: { imageId: id },
});
const ids = (batches: PlanStep[][]) => batches.map((b) => b.map((s) => s.id));

describe('batchLoads', () => {
  const runnable = ['a', 'b', 'c'].map(load);
  it('puts every runnable load in one archive when given one group', () => {
    expect(ids(batchLoads(runnable, 1))).toEqual([['a', 'b', 'c']]);
  });
  it('spreads them over the free slots, smaller archives first, in readiness order on equal urgency', () => {
    expect(ids(batchLoads(runnable, 2))).toEqual([['a'], ['b', 'c']]);
  });
  it('puts the most urgent image (the longest chain waiting behind it) alone in the first archive', () => {
    expect(
      ids(
        batchLoads(
          runnable,
          2,
          new Map([
            ['c', 4],
            ['a', 2],
          ]),
        ),
      ),
    ).toEqual([['c'], ['a', 'b']]);
  });
  it('never makes empty archives', () => {
    expect(ids(batchLoads(runnable, 5))).toEqual([['a'], ['b'], ['c']]);
  });
});

describe('chainLengths', () => {
  it('counts the longest chain of steps waiting behind each step, its own included', () => {
    const step = (id: string, deps: string[]): PlanStep => ({ ...load(id), deps });
    const lengths = chainLengths([
      step('load:db', []),
      step('deploy:db', ['load:db']),
      step('deploy:app', ['deploy:db', 'load:app']),
      step('load:app', []),
    ]);
    expect(Object.fromEntries(lengths)).toEqual({
      'load:db': 3,
      'deploy:db': 2,
      'deploy:app': 1,
      'load:app': 2,
    });
  });
});
