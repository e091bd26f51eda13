import type { PlanStep } from '../plan/types.js';

const isExternal = (step: PlanStep) => step.kind === 'load' && step.payload.external !== undefined;

/**
 * How many steps wait, at the most, in a chain behind each step of `steps` (a step's own count included): a load
 * whose image heads a long chain (DataStorage, before the services that wait for it) is more urgent than one at
 * the end of a short one.
 */
export function chainLengths(steps: readonly PlanStep[]): ReadonlyMap<string, number> {
  const dependents = new Map<string, string[]>();
  for (const step of steps) {
    for (const dep of step.deps) dependents.set(dep, [...(dependents.get(dep) ?? []), step.id]);
  }
  const lengths = new Map<string, number>();
  const lengthOf = (id: string): number => {
    const known = lengths.get(id);
    if (known !== undefined) return known;
    const length = 1 + Math.max(0, ...(dependents.get(id) ?? []).map(lengthOf));
    lengths.set(id, length);
    return length;
  };
  for (const step of steps) lengthOf(step.id);
  return lengths;
}

/**
 * Splits the loads runnable now into at most `groups` archives. The most urgent images (the longest chain behind
 * them, `urgency`; readiness order on ties) go first and into the smallest archives, so the image the run waits for
 * soonest is on the node soonest; the rest share the larger ones (`groups` 1: every runnable load in one archive).
 * Preloads of external images (postgres, redis) are an archive of their own: a pod that runs one never waits for
 * the archive of a built image.
 */
export function batchLoads(
  runnable: readonly PlanStep[],
  groups: number,
  urgency: ReadonlyMap<string, number> = new Map(),
): PlanStep[][] {
  const external = runnable.filter(isExternal);
  const built = runnable
    .filter((step) => !isExternal(step))
    .map((step, order) => ({ step, order }))
    .sort((a, b) => (urgency.get(b.step.id) ?? 0) - (urgency.get(a.step.id) ?? 0) || a.order - b.order)
    .map(({ step }) => step);
  const count = Math.max(1, Math.min(groups, built.length));
  const batches: PlanStep[][] = external.length > 0 ? [external] : [];
  let index = 0;
  for (let g = 0; g < count && index < built.length; g++) {
    // Smallest first: floor of an even share of what is left.
    const size = Math.floor((built.length - index) / (count - g));
    batches.push(built.slice(index, index + size));
    index += size;
  }
  return batches;
}
