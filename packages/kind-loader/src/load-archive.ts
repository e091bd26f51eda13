import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError, CommandError, isKubernautError, type OperationContext } from '@kubernaut-e2e/core';
import { kindEnv, kindLoadArchiveArgs } from './kind-command.js';
import { type KindLoadOptions, providerOf } from './load-options.js';

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
      throw loadFailure(
        error,
        `${what}: exporting the archive (each image must be in the local ${options.engine.name} store: build it first with buildImageForKind)`,
      );
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
