import {
  clusterNameSchema,
  imageRefSchema,
  kubeNameSchema,
  type LoadReport,
  parseInput,
} from '@kubernaut-e2e/core';
import { z } from 'zod';
import { contextOf, loadArchive, removeBuiltImages } from './load-archive.js';
import type { KindLoadOptions } from './load-options.js';

const inputSchema = z.object({
  imageRef: imageRefSchema,
  serviceName: kubeNameSchema,
  clusterName: clusterNameSchema,
});

/**
 * The seed's `LoadImageToKind`: exports one image to an archive in a private temp directory of the run
 * ledger (never a fixed `/tmp/<service>-<tag>.tar` another run could clobber), runs
 * `kind load image-archive <archive> --name <cluster>` (with `KIND_EXPERIMENTAL_PROVIDER=podman` for
 * podman), and removes the archive whatever happens. With `removeEngineImage`, the engine's copy is
 * removed afterwards — only if this run built it.
 *
 * Loading several images? {@link loadImagesToKind} does it with one archive and one `kind load`.
 */
export async function loadImageToKind(
  imageRef: string,
  serviceName: string,
  clusterName: string,
  options: KindLoadOptions,
): Promise<LoadReport> {
  const input = parseInput(inputSchema, { imageRef, serviceName, clusterName }, 'kind image load');
  const ctx = contextOf(options, `load:${input.serviceName}`);
  await loadArchive([input.imageRef], input.clusterName, input.serviceName, options, ctx);
  await removeBuiltImages([input.imageRef], options, ctx);
  return { loaded: [input.imageRef], skipped: [] };
}
