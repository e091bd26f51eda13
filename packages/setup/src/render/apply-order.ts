import { PlanError } from '@kubernaut-e2e/core';
import type { PlanStep } from '@kubernaut-e2e/orchestrator';

/**
 * The plan's steps in one topological order: each after every step it depends on, and among the steps free to go
 * next, the one declared first in the plan. Deterministic for the same plan (the scheduler runs independent steps at
 * the same time; this is one order it could apply them in). Finalizers (`teardown`) are left out.
 */
export function applyOrder(steps: readonly PlanStep[]): PlanStep[] {
  const main = steps.filter((s) => s.kind !== 'teardown');
  const index = new Map(main.map((s, i) => [s.id, i]));
  const waiting = main.map((s) => new Set(s.deps.filter((d) => index.has(d))));
  const done = new Set<number>();
  const order: PlanStep[] = [];
  while (order.length < main.length) {
    const next = main.findIndex((_, i) => !done.has(i) && waiting[i]!.size === 0);
    // planSetup refuses a cycle, so this only guards against a hand-made plan.
    if (next < 0)
      throw new PlanError(
        `the plan's steps have a dependency cycle among ${main
          .filter((_, i) => !done.has(i))
          .map((s) => s.id)
          .join(', ')}`,
      );
    done.add(next);
    order.push(main[next]!);
    for (const deps of waiting) deps.delete(main[next]!.id);
  }
  return order;
}
