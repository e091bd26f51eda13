/** One suite's predicted cost on a CI machine. */
export interface SuiteCost {
  readonly suite: string;
  /** Predicted setup time (ms). */
  readonly setupMs: number;
  /** Recorded test time (ms); 0 when none was recorded. */
  readonly testMs: number;
}

export interface Shard {
  /** 1-based, as a CI matrix numbers its jobs. */
  readonly shard: number;
  readonly suites: readonly string[];
  /** Σ setup + test of its suites: the machine's predicted busy time. */
  readonly predictedMs: number;
}

/**
 * Assigns suites to `count` machines, longest processing time first: suites in decreasing cost (setup + test; ties
 * by name, so the plan is stable), each to the machine with the least work so far (ties: the lowest number). Within
 * 4/3 of the best possible makespan (Graham's bound). Machines left without a suite are not returned: a CI matrix
 * job with nothing to run would only cost a machine.
 */
export function assignShards(costs: readonly SuiteCost[], count: number): Shard[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`shard count must be a positive integer, got ${count}`);
  const machines = Array.from({ length: count }, (_, i) => ({
    shard: i + 1,
    suites: [] as string[],
    predictedMs: 0,
  }));
  const ordered = [...costs].sort(
    (a, b) =>
      b.setupMs + b.testMs - (a.setupMs + a.testMs) || (a.suite < b.suite ? -1 : a.suite > b.suite ? 1 : 0),
  );
  for (const cost of ordered) {
    let least = machines[0]!;
    for (const machine of machines) if (machine.predictedMs < least.predictedMs) least = machine;
    least.suites.push(cost.suite);
    least.predictedMs += cost.setupMs + cost.testMs;
  }
  return machines.filter((m) => m.suites.length > 0);
}

/** The wall time of a sharded run: its busiest machine (0 with nothing to run). */
export function makespanOf(shards: readonly Shard[]): number {
  return Math.max(0, ...shards.map((s) => s.predictedMs));
}

/**
 * A GitHub Actions matrix (`strategy.matrix: ${{ fromJSON(...) }}`): one job per shard, its suites space-separated
 * for a shell loop. `{"include":[]}` when nothing is affected: guard the matrix job with an `if:` on it.
 */
export function githubMatrix(shards: readonly Shard[]): { include: { shard: number; suites: string }[] } {
  return { include: shards.map((s) => ({ shard: s.shard, suites: s.suites.join(' ') })) };
}
