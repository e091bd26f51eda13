import { PlanError } from '@kubernaut-e2e/core';
import type { LoadStep } from '../plan/types.js';
import { op } from './operation.js';
import type { HandlerContext } from './types.js';

/**
 * Loads the images of every step in the batch into the cluster with ONE loader call (one archive), or pushes them in
 * registry mode. An external image (one the run does not build) goes with them when the local engine holds it, as
 * kubernaut's `PreloadExternalImage` does; otherwise the nodes pull it by its pinned reference.
 */
export async function loadImages(steps: readonly LoadStep[], ctx: HandlerContext): Promise<void> {
  const viaRegistry = steps.every((s) => s.payload.delivery === 'registry');
  if (viaRegistry && ctx.toolchain.imageLoader.delivery !== 'registry') {
    throw new PlanError(
      'the plan pushes images to a registry, but the toolchain loads archives into the nodes; plan with the toolchain’s image delivery',
    );
  }
  const cluster = ctx.state.cluster;
  const clusterName = cluster?.name ?? steps[0]?.payload.clusterName;
  if (!viaRegistry && !cluster)
    throw new PlanError('no cluster yet: a load step ran before the create-cluster step');

  const external = steps.filter((s) => s.payload.external !== undefined);
  const held = new Set(
    external.length > 0
      ? await ctx.toolchain.imageLoader.held(
          external.map((s) => s.payload.external!),
          op(ctx),
        )
      : [],
  );
  const pulled = external.filter((s) => !held.has(s.payload.external!));
  const loading = steps.filter((s) => s.payload.external === undefined || held.has(s.payload.external));
  const pulledNote =
    pulled.length > 0 ? `; the nodes pull ${pulled.map((s) => s.payload.external).join(', ')}` : '';
  if (loading.length === 0) {
    ctx.note(`nothing held locally${pulledNote}`);
    return;
  }

  const refs = loading.map((s) => ctx.state.imageRef(s.payload.imageId));
  const imageIds = Object.fromEntries(
    refs.flatMap((ref) => (ctx.state.imageIds[ref] ? [[ref, ctx.state.imageIds[ref]]] : [])),
  );
  const report = await ctx.toolchain.imageLoader.load(refs, clusterName ?? '', op(ctx), { imageIds });
  if (!viaRegistry) for (const ref of refs) ctx.state.loadedRefs.add(ref);
  // In registry mode the nodes hold each image under its registry name: pods must use that one.
  for (const step of loading) {
    const podRef = report.podRefs?.[ctx.state.imageRef(step.payload.imageId)];
    if (podRef !== undefined) ctx.state.images[step.payload.imageId] = podRef;
  }
  ctx.note(
    (viaRegistry
      ? `pushed ${report.loaded.length}, already in the registry ${report.skipped.length}`
      : `loaded ${report.loaded.length}, already present ${report.skipped.length}`) + pulledNote,
  );
}
