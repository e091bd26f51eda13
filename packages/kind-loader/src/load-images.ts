import { clusterNameSchema, imageRefSchema, type LoadReport, parseInput } from '@kubernaut-e2e/core';
import { z } from 'zod';
import { contextOf, loadArchive, loadFailure, removeBuiltImages } from './load-archive.js';
import type { KindLoadOptions } from './load-options.js';
import { nodeImageName } from './node-image-name.js';
import { listNodeImages, type NodeImages } from './node-images.js';

const loadInputSchema = z.object({
  refs: z.array(imageRefSchema).min(1, 'name at least one image to load'),
  clusterName: clusterNameSchema,
});

/**
 * Loads several images into a kind cluster with ONE multi-image archive (`podman save -m` /
 * `docker save`) and ONE `kind load image-archive`. Images the nodes already hold under the same name
 * (and, when the node reports it, the same image ID) are skipped. Returns what was loaded and skipped.
 */
export async function loadImagesToKind(
  refs: readonly string[],
  clusterName: string,
  options: KindLoadOptions,
): Promise<LoadReport> {
  const input = parseInput(loadInputSchema, { refs, clusterName }, 'kind image load');
  const unique = [...new Set(input.refs)];
  const ctx = contextOf(options, `load:${input.clusterName}`);
  const info = (text: string) =>
    options.log?.({ source: ctx.logSource!, stream: 'info', text, at: Date.now() });

  // Every image must exist locally; its ID decides whether the node's copy is the same image. The
  // inspections and the node listing are independent, so they run at once (each is a process start).
  const inspectAll = Promise.all(
    unique.map(async (ref) => {
      const image = await options.engine.inspect(ref, ctx).catch((error: unknown) => {
        throw loadFailure(
          error,
          `inspecting image ${ref} before loading it into kind cluster ${input.clusterName}`,
        );
      });
      if (!image) {
        throw new Error(
          `image ${ref} is not in the local ${options.engine.name} store, so it cannot be loaded into kind cluster ${input.clusterName}: build it first (buildImageForKind)`,
        );
      }
      return [ref, image.id] as const;
    }),
  );
  const listing = listNodeImages(input.clusterName, options, ctx).catch((error: unknown) => {
    if (options.signal?.aborted) throw error;
    // Listing is an optimisation: when it fails we load everything, which is always correct.
    info(
      `could not list the images on cluster ${input.clusterName}'s nodes, loading all: ${(error as Error).message}`,
    );
    return new Map() as NodeImages;
  });
  const [inspected, onNodes] = await Promise.all([inspectAll, listing]);
  const ids = new Map(inspected);

  const skipped: string[] = [];
  const toLoad: string[] = [];
  for (const ref of unique) {
    const nodeIds = onNodes.get(nodeImageName(ref));
    const present = nodeIds !== undefined && (nodeIds.size === 0 || nodeIds.has(ids.get(ref)!));
    (present ? skipped : toLoad).push(ref);
  }
  if (skipped.length) info(`already on the nodes, skipped: ${skipped.join(', ')}`);
  if (toLoad.length === 0) return { loaded: [], skipped };

  await loadArchive(toLoad, input.clusterName, 'images', options, ctx);
  info(`loaded into ${input.clusterName}: ${toLoad.join(', ')}`);
  await removeBuiltImages(toLoad, options, ctx);
  return { loaded: toLoad, skipped };
}
