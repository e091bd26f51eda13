import type { KubeClient, KubeObject, OperationContext } from '@kubernaut-e2e/core';

/** Applies a component's objects, then waits for each Deployment's rollout. */
export async function applyAndWait(
  kube: KubeClient,
  objects: readonly KubeObject[],
  namespace: string,
  timeoutMs: number,
  ctx?: OperationContext,
): Promise<void> {
  await kube.apply(objects, ctx);
  const deployments = objects
    .filter((o) => o.kind === 'Deployment')
    .map((o) => `deployment/${o.metadata.name}`);
  await Promise.all(deployments.map((d) => kube.rolloutStatus(d, namespace, timeoutMs, ctx)));
}
