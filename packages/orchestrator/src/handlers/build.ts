import type { BuildStep } from '../plan/types.js';
import { op } from './operation.js';
import type { HandlerContext } from './types.js';

/** Builds one image and records its reference for the load and deploy steps. */
export async function buildImage(step: BuildStep, ctx: HandlerContext): Promise<void> {
  const built = await ctx.toolchain.imageBuilder.build(step.payload.config, op(ctx));
  ctx.state.images[step.payload.imageId] = built.ref;
  ctx.state.imageIds[built.ref] = built.id;
  ctx.note(built.cached ? `cached ${built.ref}` : built.ref);
}
