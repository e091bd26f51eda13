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

  let onNodes: NodeImages;
  try {
    onNodes = await listNodeImages(input.clusterName, options, ctx);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // Listing is an optimisation: when it fails we load everything, which is always correct.
    info(
      `could not list the images on cluster ${input.clusterName}'s nodes, loading all: ${(error as Error).message}`,
    );
    onNodes = new Map();
  }

  // Only an image whose name the node already holds needs its local ID (to tell a rebuilt image under
  // a fixed tag from the same one); a fresh cluster costs no inspections at all, each being a process
  // start. A missing local image is reported by the export, with the image named.
  const decisions = await Promise.all(
    unique.map(async (ref) => {
      const nodeIds = onNodes.get(nodeImageName(ref));
      if (nodeIds === undefined) return { ref, present: false };
      if (nodeIds.size === 0) return { ref, present: true };
      const local = await options.engine.inspect(ref, ctx).catch((error: unknown) => {
        throw loadFailure(
          error,
          `inspecting image ${ref} before loading it into kind cluster ${input.clusterName}`,
        );
      });
      // Not here any more (e.g. removed after an earlier load) but on the node: nothing to load.
      return { ref, present: local === undefined || nodeIds.has(local.id) };
    }),
  );
  const skipped = decisions.filter((d) => d.present).map((d) => d.ref);
  const toLoad = decisions.filter((d) => !d.present).map((d) => d.ref);
  if (skipped.length) info(`already on the nodes, skipped: ${skipped.join(', ')}`);
  if (toLoad.length === 0) return { loaded: [], skipped };

  await loadArchive(toLoad, input.clusterName, 'images', options, ctx);
  info(`loaded into ${input.clusterName}: ${toLoad.join(', ')}`);
  await removeBuiltImages(toLoad, options, ctx);
  return { loaded: toLoad, skipped };
}
