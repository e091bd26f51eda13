import { PlanError } from '@kubernaut-e2e/core';
import { findCycle } from './graph.js';
import type { Plan } from './types.js';

/**
 * Checks a step graph before anything runs: unique ids, no dependency on a step that does not exist,
 * no cycle, and finalizers (teardown steps) depending only on other finalizers. Throws a `PlanError`
 * that names the offending steps.
 */
export function validatePlan(plan: Plan): void {
  const ids = new Set<string>();
  for (const step of plan.steps) {
    if (ids.has(step.id))
      throw new PlanError(`plan has two steps with the id "${step.id}"; step ids must be unique`);
    ids.add(step.id);
  }
  const kinds = new Map(plan.steps.map((s) => [s.id, s.kind]));
  for (const step of plan.steps) {
    for (const dep of step.deps) {
      const depKind = kinds.get(dep);
      if (depKind === undefined) {
        throw new PlanError(`step "${step.id}" depends on "${dep}", which is not a step of the plan`);
      }
      if (dep === step.id) throw new PlanError(`step "${step.id}" depends on itself`);
      if ((step.kind === 'teardown') !== (depKind === 'teardown')) {
        throw new PlanError(
          `step "${step.id}" (${step.kind}) depends on "${dep}" (${depKind}); teardown steps are finalizers and may only depend on, and be depended on by, other teardown steps`,
        );
      }
    }
  }
  const cycle = findCycle(plan.steps);
  if (cycle)
    throw new PlanError(
      `plan has a dependency cycle: ${cycle.join(' → ')} (→ reads "waits for"); remove one of these dependencies`,
    );
}
