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

/**
 * A lower bound that also counts the build slots: the build that finishes last cannot finish before the earliest any
 * build can start plus all build work spread over `buildSlots`, and what follows it takes at least the shortest chain
 * after any build. No schedule of the plan beats `max(criticalPath, this)` with that many build slots.
 */
export function buildSlotsBound(
  plan: Plan,
  durations: (step: PlanStep) => number,
  buildSlots: number,
): number {
  const steps = plan.steps.filter((s) => s.kind !== 'teardown');
  const builds = steps.filter((s) => s.resource === 'build');
  if (builds.length === 0 || buildSlots < 1) return 0;
  const byId = new Map(steps.map((s) => [s.id, s]));
  const order = topologicalOrder(steps);
  const d = (s: PlanStep) => Math.max(0, durations(s));
  const head = new Map<string, number>();
  for (const id of order) {
    const step = byId.get(id)!;
    head.set(id, Math.max(0, ...step.deps.map((dep) => (head.get(dep) ?? 0) + d(byId.get(dep) ?? step))));
  }
  const dependents = new Map<string, string[]>();
  for (const s of steps)
    for (const dep of s.deps) dependents.set(dep, [...(dependents.get(dep) ?? []), s.id]);
  const tail = new Map<string, number>();
  for (const id of [...order].reverse()) {
    tail.set(id, Math.max(0, ...(dependents.get(id) ?? []).map((n) => d(byId.get(n)!) + (tail.get(n) ?? 0))));
  }
  const work = builds.reduce((sum, s) => sum + d(s), 0);
  return (
    Math.min(...builds.map((s) => head.get(s.id) ?? 0)) +
    work / buildSlots +
    Math.min(...builds.map((s) => tail.get(s.id) ?? 0))
  );
}
