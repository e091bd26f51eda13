import type { PlanStep } from '../plan/types.js';

const isExternal = (step: PlanStep) => step.kind === 'load' && step.payload.external !== undefined;

/**
 * Splits the loads runnable now into at most `groups` archives of near-equal size, in readiness order
 * (`groups` 1: every runnable load in one archive). Preloads of external images (postgres, redis) are an archive
 * of their own: a pod that runs one never waits for the archive of a built image.
 */
export function batchLoads(runnable: readonly PlanStep[], groups: number): PlanStep[][] {
  const external = runnable.filter(isExternal);
  const built = runnable.filter((step) => !isExternal(step));
  const count = Math.max(1, Math.min(groups, built.length));
  const batches: PlanStep[][] = external.length > 0 ? [external] : [];
  let index = 0;
  for (let g = 0; g < count && index < built.length; g++) {
    const size = Math.ceil((built.length - index) / (count - g));
    batches.push(built.slice(index, index + size));
    index += size;
  }
  return batches;
}
