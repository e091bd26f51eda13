import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../plan/types.js';
import { batchLoads } from './batch-loads.js';

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
  it('spreads them over the free slots, larger archives first, in readiness order', () => {
    expect(ids(batchLoads(runnable, 2))).toEqual([['a', 'b'], ['c']]);
  });
  it('never makes empty archives', () => {
    expect(ids(batchLoads(runnable, 5))).toEqual([['a'], ['b'], ['c']]);
  });
});
