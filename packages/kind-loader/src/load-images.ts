import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CancelledError,
  CommandError,
  clusterNameSchema,
  imageRefSchema,
  isKubernautError,
  type LoadReport,
  type OperationContext,
  parseInput,
} from '@kubernaut-e2e/core';
import { z } from 'zod';
import { parseCrictlImages } from './crictl-images.js';
import { controlPlaneNode, kindEnv, kindLoadArchiveArgs } from './kind-command.js';
import { type KindLoadOptions, providerOf } from './load-options.js';
import { nodeImageName } from './node-image-name.js';

const loadInputSchema = z.object({
  refs: z.array(imageRefSchema).min(1, 'name at least one image to load'),
  clusterName: clusterNameSchema,
});

/** Wraps a failure with the images, the cluster and what we were doing; keeps argv and stderr tail. */
export function loadFailure(error: unknown, what: string): unknown {
  if (error instanceof CommandError)
    return new CommandError(error, { cause: error, context: what, transient: error.transient });
  if (isKubernautError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${what}: ${message}`, { cause: error });
}

export function contextOf(options: KindLoadOptions, defaultSource: string): OperationContext {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
    logSource: options.logSource ?? defaultSource,
  };
}

/** What the nodes hold: name → config digests (empty set when the source gives names only). */
type NodeImages = Map<string, Set<string>>;

async function listNodeImages(
  clusterName: string,
  options: KindLoadOptions,
  ctx: OperationContext,
): Promise<NodeImages> {
  const images: NodeImages = new Map();
  if (options.cluster) {
    for (const name of await options.cluster.listNodeImages(clusterName, ctx))
      images.set(nodeImageName(name), new Set());
    return images;
  }
  const provider = providerOf(options);
  const result = await options.runner.run(
    provider,
    ['exec', controlPlaneNode(clusterName), 'crictl', 'images', '-o', 'json'],
    {
      ...ctx,
      logSource: ctx.logSource ?? provider,
    },
  );
  for (const image of parseCrictlImages(result.stdout)) {
    for (const tag of image.repoTags) {
      const ids = images.get(nodeImageName(tag)) ?? new Set<string>();
      ids.add(image.id);
      images.set(nodeImageName(tag), ids);
    }
  }
  return images;
}

/**
 * Exports `refs` into ONE docker-archive in a private temp directory of the ledger, runs ONE
 * `kind load image-archive`, and removes the archive whatever happens.
 */
export async function loadArchive(
  refs: readonly string[],
  clusterName: string,
  archiveName: string,
  options: KindLoadOptions,
  ctx: OperationContext,
): Promise<void> {
  const what = `loading ${refs.length === 1 ? `image ${refs[0]}` : `images ${refs.join(', ')}`} into kind cluster ${clusterName}`;
  const dir = await options.ledger.tempDir(`kind-load-${archiveName}-`);
  const archive = join(dir, `${archiveName}.tar`);
  try {
    if (options.signal?.aborted)
      throw new CancelledError(`${what} was cancelled`, { cause: options.signal.reason });
    await options.engine.save(refs, archive, ctx).catch((error: unknown) => {
      throw loadFailure(error, `${what}: exporting the archive`);
    });
    const provider = providerOf(options);
    await options.runner
      .run(options.kindBinary ?? 'kind', kindLoadArchiveArgs(archive, clusterName, options.nodes), {
        ...ctx,
        env: kindEnv(provider),
      })
      .catch((error: unknown) => {
        throw loadFailure(error, what);
      });
  } finally {
    await rm(dir, { recursive: true, force: true });
    const entry = options.ledger.entries.find((e) => e.name === dir);
    if (entry) options.ledger.release(entry);
  }
}

/** Removes loaded images from the engine when asked — only those this run built. */
export async function removeBuiltImages(
  refs: readonly string[],
  options: KindLoadOptions,
  ctx: OperationContext,
): Promise<void> {
  if (!options.removeEngineImage) return;
  const builtByThisRun =
    options.builtByThisRun ??
    ((ref: string) => options.ledger.entries.some((e) => e.kind === 'image' && e.name === ref));
  for (const ref of refs) {
    if (!builtByThisRun(ref)) {
      ctx.log?.({
        source: ctx.logSource ?? 'kind-load',
        stream: 'info',
        text: `kept ${ref}: this run did not build it`,
        at: Date.now(),
      });
      continue;
    }
    const entry = options.ledger.entries.find((e) => e.kind === 'image' && e.name === ref);
    if (entry) await options.ledger.dispose(entry);
    else await options.engine.removeImage(ref, ctx);
  }
}

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
