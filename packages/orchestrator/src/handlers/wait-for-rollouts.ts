import type { KubeClient, OperationContext, ResourceRef } from '@kubernaut-e2e/core';

/** How long a rollout may take when its component names no `rolloutTimeoutMs`. */
export const DEFAULT_ROLLOUT_TIMEOUT_MS = 300_000;

/**
 * The one rollout wait: every rollout of a component at once (the time of the slowest, not the sum). The first one
 * that fails fails the wait with its own error (`NotReadyError` with kubectl's last lines, or the `CommandError`)
 * at once; the caller's cancellation (the scheduler's fail-fast signal in `ctx`) stops the others. The wait-ready
 * step and the dev loop's roll both wait with it.
 */
export async function waitForRollouts(
  kube: KubeClient,
  resources: readonly ResourceRef[],
  namespace: string,
  timeoutMs: number,
  ctx?: OperationContext,
): Promise<void> {
  await Promise.all(resources.map((resource) => kube.rolloutStatus(resource, namespace, timeoutMs, ctx)));
}
