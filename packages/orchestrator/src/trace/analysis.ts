import type { StepResource } from '../plan/types.js';
import type { Trace, TraceStep } from './types.js';

/** Steps that ran (have a start and an end). */
export function ranSteps(trace: Trace): (TraceStep & { start: number; end: number })[] {
  return trace.steps.filter(
    (s): s is TraceStep & { start: number; end: number } => s.start !== undefined && s.end !== undefined,
  );
}

/** Latest end of any step that ran, finalizers included (the extent a chart must show). */
export function traceExtent(trace: Trace): number {
  return Math.max(trace.makespanMs, ...ranSteps(trace).map((s) => s.end));
}

/**
 * The chain of steps that determined the makespan: from the setup step that ended last (or, in a failed
 * run, the step that failed), back through the dependency that ended last each time. Ids first to last.
 */
export function traceCriticalPath(trace: Trace): string[] {
  const byId = new Map(trace.steps.map((s) => [s.id, s]));
  const setup = ranSteps(trace).filter((s) => s.kind !== 'teardown');
  let current: TraceStep | undefined =
    setup.find((s) => s.outcome === 'failed') ??
    setup.reduce<TraceStep | undefined>(
      (last, s) => (last === undefined || s.end > last.end! ? s : last),
      undefined,
    );
  const path: string[] = [];
  while (current) {
    path.unshift(current.id);
    let next: TraceStep | undefined;
    for (const dep of current.deps) {
      const candidate = byId.get(dep);
      if (candidate?.end === undefined) continue;
      if (next === undefined || candidate.end > next.end!) next = candidate;
    }
    current = next;
  }
  return path;
}

export const RESOURCE_ORDER: readonly StepResource[] = ['build', 'cluster', 'load', 'kube'];

/**
 * Packs the steps of each resource into as few lanes as possible (a step goes into the first lane that
 * is free at its start), so concurrent steps sit side by side and a lane never holds two at once.
 */
export function assignLanes(trace: Trace): Map<string, { resource: StepResource; lane: number }> {
  const lanes = new Map<string, { resource: StepResource; lane: number }>();
  for (const resource of RESOURCE_ORDER) {
    const laneEnds: number[] = [];
    const steps = ranSteps(trace)
      .filter((s) => s.resource === resource)
      .sort((a, b) => a.start - b.start || a.end - b.end);
    for (const step of steps) {
      let lane = laneEnds.findIndex((end) => end <= step.start);
      if (lane === -1) lane = laneEnds.length;
      laneEnds[lane] = step.end;
      lanes.set(step.id, { resource, lane });
    }
  }
  return lanes;
}

/**
 * Per-step durations observed in a trace, for `criticalPath` / `renderPlan` (e.g. from a simulated run:
 * the predicted duration of every step). Steps that did not run count as 0.
 */
export function durationsFromTrace(trace: Trace): (step: { readonly id: string }) => number {
  const durations = new Map(ranSteps(trace).map((s) => [s.id, s.end - s.start]));
  return (step) => durations.get(step.id) ?? 0;
}
