import type { PlanStep } from '../plan/types.js';

/**
 * Splits the loads runnable now into at most `groups` archives of near-equal size, in readiness order
 * (`groups` 1: every runnable load in one archive).
 */
export function batchLoads(runnable: readonly PlanStep[], groups: number): PlanStep[][] {
  const count = Math.max(1, Math.min(groups, runnable.length));
  const batches: PlanStep[][] = [];
  let index = 0;
  for (let g = 0; g < count; g++) {
    const size = Math.ceil((runnable.length - index) / (count - g));
    batches.push(runnable.slice(index, index + size));
    index += size;
  }
  return batches;
}
