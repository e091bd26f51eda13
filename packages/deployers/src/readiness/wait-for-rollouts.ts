import { type KubeClient, NotReadyError, type OperationContext, type ResourceRef } from '@kubernaut-e2e/core';

/**
 * Waits for several rollouts in one namespace at once (total time ≈ the slowest, not the sum). If one
 * fails its error is rethrown; if several fail, one `NotReadyError` lists each with what kubectl saw.
 */
export async function waitForRollouts(
  kube: KubeClient,
  resources: readonly ResourceRef[],
  namespace: string,
  timeoutMs: number,
  ctx?: OperationContext,
): Promise<void> {
  const results = await Promise.allSettled(
    resources.map((r) => kube.rolloutStatus(r, namespace, timeoutMs, ctx)),
  );
  const failures = results
    .map((r, i) => ({ resource: resources[i]!, result: r }))
    .filter((f): f is { resource: string; result: PromiseRejectedResult } => f.result.status === 'rejected');
  if (failures.length === 0) return;
  if (failures.length === 1) throw failures[0]!.result.reason;
  const describe = (reason: unknown) =>
    reason instanceof NotReadyError
      ? reason.lastObservation
      : reason instanceof Error
        ? reason.message
        : String(reason);
  throw new NotReadyError(
    `${failures.length} of ${resources.length} rollouts in namespace ${namespace} (${failures.map((f) => f.resource).join(', ')})`,
    failures.map((f) => `${f.resource}: ${describe(f.result.reason)}`).join('; '),
    { cause: failures[0]!.result.reason },
  );
}
