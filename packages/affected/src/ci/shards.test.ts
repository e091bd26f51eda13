import { describe, expect, it } from 'vitest';
import { assignShards, githubMatrix, makespanOf } from './shards.js';

const minutes = (m: number) => m * 60_000;
const cost = (suite: string, setup: number, test = 0) => ({
  suite,
  setupMs: minutes(setup),
  testMs: minutes(test),
});

describe('assignShards', () => {
  it('puts the longest suites first, each on the least loaded machine', () => {
    // Setup + test: a 9, b 7, c 6, d 5, e 4, f 3 (34 minutes): LPT on 3 machines → 12, 11, 11.
    const shards = assignShards(
      [cost('e', 3, 1), cost('a', 6, 3), cost('f', 3), cost('c', 6), cost('b', 5, 2), cost('d', 5)],
      3,
    );
    expect(shards).toEqual([
      { shard: 1, suites: ['a', 'f'], predictedMs: minutes(12) },
      { shard: 2, suites: ['b', 'e'], predictedMs: minutes(11) },
      { shard: 3, suites: ['c', 'd'], predictedMs: minutes(11) },
    ]);
    expect(makespanOf(shards)).toBe(minutes(12));
  });

  it('is stable for equal costs (by name) and leaves out machines with nothing to run', () => {
    const shards = assignShards([cost('y', 2), cost('x', 2)], 4);
    expect(shards.map((s) => s.suites)).toEqual([['x'], ['y']]);
    expect(assignShards([], 4)).toEqual([]);
    expect(makespanOf([])).toBe(0);
  });

  it('puts everything on one machine for one shard', () => {
    expect(assignShards([cost('a', 1), cost('b', 2)], 1)).toEqual([
      { shard: 1, suites: ['b', 'a'], predictedMs: minutes(3) },
    ]);
    expect(() => assignShards([], 0)).toThrow(RangeError);
  });
});

describe('githubMatrix', () => {
  it('is one include entry per shard with its suites space-separated', () => {
    expect(
      JSON.stringify(
        githubMatrix(assignShards([cost('gateway', 2), cost('datastorage', 3), cost('notification', 1)], 2)),
      ),
    ).toBe('{"include":[{"shard":1,"suites":"datastorage"},{"shard":2,"suites":"gateway notification"}]}');
    expect(githubMatrix([])).toEqual({ include: [] });
  });
});
