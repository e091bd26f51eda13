import { topologicalOrder } from './graph.js';
import type { Plan, PlanStep } from './types.js';

export interface CriticalPath {
  /** Length of the longest dependency chain: no schedule of this plan can finish sooner. */
  readonly lengthMs: number;
  /** Step ids along that chain, first to last. */
  readonly steps: readonly string[];
}

/**
 * The longest chain of dependent steps when each takes `durations(step)` and nothing else limits
 * concurrency — the lower bound of any schedule of the plan. Teardown steps are finalizers and are left
 * out (they are not part of the setup's makespan).
 */
export function criticalPath(plan: Plan, durations: (step: PlanStep) => number): CriticalPath {
  const steps = plan.steps.filter((s) => s.kind !== 'teardown');
  const byId = new Map(steps.map((s) => [s.id, s]));
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  for (const id of topologicalOrder(steps)) {
    const step = byId.get(id)!;
    let start = 0;
    let before: string | undefined;
    for (const dep of step.deps) {
      const end = finish.get(dep) ?? 0;
      if (before === undefined || end > start) {
        start = end;
        before = dep;
      }
    }
    const duration = Math.max(0, durations(step));
    finish.set(id, start + duration);
    via.set(id, before);
  }
  let last: string | undefined;
  let lengthMs = 0;
  for (const step of steps) {
    const end = finish.get(step.id) ?? 0;
    if (last === undefined || end > lengthMs) {
      last = step.id;
      lengthMs = end;
    }
  }
  const path: string[] = [];
  for (let id = last; id !== undefined; id = via.get(id)) path.unshift(id);
  return { lengthMs, steps: path };
}
