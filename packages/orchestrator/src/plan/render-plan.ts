import { formatDuration } from '../trace/format.js';
import { criticalPath } from './critical-path.js';
import { topologicalOrder } from './graph.js';
import type { Plan, PlanStep } from './types.js';

export interface RenderPlanOptions {
  /** When given, each step shows its expected duration and the critical path is printed. */
  readonly durations?: (step: PlanStep) => number;
}

/**
 * The plan as text (for `kubernaut-e2e plan`): steps in an order that respects every dependency, each
 * with its kind, label and what it waits for; with `durations`, the expected time of each step and the
 * critical path.
 */
export function renderPlan(plan: Plan, options: RenderPlanOptions = {}): string {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const ordered = topologicalOrder(plan.steps).map((id) => byId.get(id)!);
  const finalizers = plan.steps.filter((s) => s.kind === 'teardown').length;
  const idWidth = Math.max(...plan.steps.map((s) => s.id.length));
  const kindWidth = Math.max(...plan.steps.map((s) => s.kind.length));
  const lines = [
    `${plan.service} · ${plan.pattern} · ${plan.steps.length} steps (${finalizers} finalizers)${plan.batchLoads ? ' · loads batched' : ''}`,
  ];
  for (const step of ordered) {
    const time = options.durations ? `${formatDuration(options.durations(step)).padStart(7)}  ` : '';
    const after = step.deps.length ? `  ← ${step.deps.join(', ')}` : '';
    lines.push(`  ${step.id.padEnd(idWidth)}  ${step.kind.padEnd(kindWidth)}  ${time}${step.label}${after}`);
  }
  if (options.durations) {
    const path = criticalPath(plan, options.durations);
    lines.push(`critical path ${formatDuration(path.lengthMs)}: ${path.steps.join(' → ')}`);
  }
  return lines.join('\n');
}

/** A plan step without its payload (which holds render functions): what `plan --json` prints. */
export interface PlanStepSummary {
  readonly id: string;
  readonly kind: PlanStep['kind'];
  readonly label: string;
  readonly resource: PlanStep['resource'];
  readonly deps: readonly string[];
}

/** The plan as plain JSON-safe data: service, pattern, batching and every step without its payload. */
export function planSummary(plan: Plan): {
  readonly service: string;
  readonly pattern: Plan['pattern'];
  readonly batchLoads: boolean;
  readonly steps: readonly PlanStepSummary[];
} {
  return {
    service: plan.service,
    pattern: plan.pattern,
    batchLoads: plan.batchLoads,
    steps: plan.steps.map(({ id, kind, label, resource, deps }) => ({
      id,
      kind,
      label,
      resource,
      deps: [...deps],
    })),
  };
}
