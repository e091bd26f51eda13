import type { KubeObject } from '@kubernaut-e2e/core';
import type {
  ApplyStep,
  DeployStep,
  InstallCrdsStep,
  NamespaceStep,
  PlanStep,
  WaitReadyStep,
} from '../plan/types.js';
import { op } from './operation.js';
import type { HandlerContext } from './types.js';
import { waitForRollouts } from './wait-for-rollouts.js';

const CRD_ESTABLISHED_TIMEOUT_MS = 60_000;

/** The steps that apply objects to the cluster. */
export type ObjectStep = InstallCrdsStep | NamespaceStep | DeployStep | ApplyStep;

/** True for a step that applies objects (`install-crds`, `namespace`, `deploy`, `manifests`, `seed`). */
export function isObjectStep(step: PlanStep): step is ObjectStep {
  return OBJECT_STEP_KINDS.has(step.kind);
}
const OBJECT_STEP_KINDS: ReadonlySet<string> = new Set([
  'install-crds',
  'namespace',
  'deploy',
  'manifests',
  'seed',
]);

/**
 * The objects a step hands to `kube.apply`, rendered with `imageRef` (image id → the reference its pods use). The
 * handlers below apply exactly these; `kubernaut-e2e render` prints them.
 */
export function objectsOfStep(
  step: ObjectStep,
  imageRef: (imageId: string) => string,
): readonly KubeObject[] {
  switch (step.kind) {
    case 'install-crds':
      return step.payload.crds;
    case 'namespace': {
      const { name, labels } = step.payload;
      return [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } }];
    }
    case 'deploy': {
      const { component } = step.payload;
      return component.manifests(Object.fromEntries(component.images.map((id) => [id, imageRef(id)])));
    }
    case 'manifests':
    case 'seed': {
      const { component } = step.payload;
      return component.objects({
        images: Object.fromEntries((component.images ?? []).map((id) => [id, imageRef(id)])),
      });
    }
  }
}

/** Applies the CRDs, then waits until the API server serves each (`condition=Established`). */
export async function installCrds(step: InstallCrdsStep, ctx: HandlerContext): Promise<void> {
  const kube = ctx.state.kube();
  await kube.apply(objectsOfStep(step, imageRefOf(ctx)), op(ctx));
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
  await ctx.state.kube().apply(objectsOfStep(step, imageRefOf(ctx)), op(ctx));
}

/**
 * Renders the component's manifests with the references built in this run, applies them, then `afterApply`.
 * (The manifests come from the declaration, e.g. `@kubernaut-e2e/deployers`' `postgresqlManifests`; applying
 * and waiting happen only here and in `waitReady`.)
 */
export async function deployComponent(step: DeployStep, ctx: HandlerContext): Promise<void> {
  const { component } = step.payload;
  const kube = ctx.state.kube();
  await kube.apply(objectsOfStep(step, imageRefOf(ctx)), op(ctx));
  await component.afterApply?.(kube, op(ctx));
}

/** Applies a `manifests` or `seed` component's objects, rendered with the image references of this run. */
export async function applyObjects(step: ApplyStep, ctx: HandlerContext): Promise<void> {
  const { component } = step.payload;
  const objects = objectsOfStep(step, imageRefOf(ctx));
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

const imageRefOf = (ctx: HandlerContext) => (imageId: string) => ctx.state.imageRef(imageId);

/**
 * Waits for every rollout of the component — failing at once when a pod of it cannot become ready on its own — then
 * for its readiness probe.
 */
export async function waitReady(step: WaitReadyStep, ctx: HandlerContext): Promise<void> {
  const { namespace, rollout, rolloutTimeoutMs, readiness, failAfterRestarts } = step.payload;
  await waitForRollouts(ctx.state.kube(), rollout, namespace, rolloutTimeoutMs, op(ctx), {
    ...ctx.podWatch,
    ...(failAfterRestarts === undefined ? {} : { failAfterRestarts }),
    clock: ctx.toolchain.clock,
    ownImages: [...ctx.state.loadedRefs],
  });
  if (readiness) await ctx.toolchain.prober.waitUntilReady(readiness.probe, readiness.options, op(ctx));
}
