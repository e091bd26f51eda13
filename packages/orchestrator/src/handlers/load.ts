import type { LoadStep } from '../plan/types.js';
import { op } from './operation.js';
import type { HandlerContext } from './types.js';

/** Loads the built images of every step in the batch into the cluster with ONE loader call (one archive). */
export async function loadImages(steps: readonly LoadStep[], ctx: HandlerContext): Promise<void> {
  const cluster = ctx.state.cluster;
  if (!cluster) throw new Error('no cluster yet: a load step ran before the create-cluster step');
  const refs = steps.map((s) => ctx.state.imageRef(s.payload.imageId));
  const report = await ctx.toolchain.imageLoader.load(refs, cluster.name, op(ctx));
  ctx.note(`loaded ${report.loaded.length}, already present ${report.skipped.length}`);
}
