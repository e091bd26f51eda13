import type { KubeObject } from '@kubernaut-e2e/core';
import type { ApplyStep, DeployStep, InstallCrdsStep, NamespaceStep, WaitReadyStep } from '../plan/types.js';
import { op } from './operation.js';
import type { HandlerContext } from './types.js';

const CRD_ESTABLISHED_TIMEOUT_MS = 60_000;

/** Applies the CRDs, then waits until the API server serves each (`condition=Established`). */
export async function installCrds(step: InstallCrdsStep, ctx: HandlerContext): Promise<void> {
  const kube = ctx.state.kube();
  await kube.apply(step.payload.crds, op(ctx));
  await Promise.all(
    step.payload.crds.map((crd) =>
      kube.waitFor(
        `crd/${crd.metadata.name}`,
        'condition=Established',
        undefined,
        CRD_ESTABLISHED_TIMEOUT_MS,
        op(ctx),
      ),
    ),
  );
}

export async function createNamespace(step: NamespaceStep, ctx: HandlerContext): Promise<void> {
  const { name, labels } = step.payload;
  const namespace: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(labels ? { labels } : {}) },
  };
  await ctx.state.kube().apply([namespace], op(ctx));
}

/**
 * Renders the component's manifests with the references built in this run, applies them, then `afterApply`.
 * (The manifests come from the declaration, e.g. `@kubernaut-e2e/deployers`' `postgresqlManifests`; applying
 * and waiting happen only here and in `waitReady`.)
 */
export async function deployComponent(step: DeployStep, ctx: HandlerContext): Promise<void> {
  const { component } = step.payload;
  const refs = Object.fromEntries(component.images.map((id) => [id, ctx.state.imageRef(id)]));
  const kube = ctx.state.kube();
  await kube.apply(component.manifests(refs), op(ctx));
  await component.afterApply?.(kube, op(ctx));
}

/** Applies a `manifests` or `seed` component's objects, rendered with the image references of this run. */
export async function applyObjects(step: ApplyStep, ctx: HandlerContext): Promise<void> {
  const { component } = step.payload;
  const images = Object.fromEntries((component.images ?? []).map((id) => [id, ctx.state.imageRef(id)]));
  const objects = component.objects({ images });
  if (objects.length === 0) return;
  const kube = ctx.state.kube();
  await kube.apply(objects, op(ctx));
  const statusKinds = new Set(component.statusKinds ?? []);
  for (const object of objects) {
    if (!statusKinds.has(object.kind) || object.status === undefined) continue;
    await kube.patch(
      `${object.kind.toLowerCase()}/${object.metadata.name}`,
      object.metadata.namespace,
      [{ op: 'add', path: '/status', value: object.status }],
      op(ctx),
      { subresource: 'status' },
    );
  }
}

/** Waits for every rollout of the component, then for its readiness probe. */
export async function waitReady(step: WaitReadyStep, ctx: HandlerContext): Promise<void> {
  const { namespace, rollout, rolloutTimeoutMs, readiness } = step.payload;
  const kube = ctx.state.kube();
  await Promise.all(
    rollout.map((resource) => kube.rolloutStatus(resource, namespace, rolloutTimeoutMs, op(ctx))),
  );
  if (readiness) await ctx.toolchain.prober.waitUntilReady(readiness.probe, readiness.options, op(ctx));
}
