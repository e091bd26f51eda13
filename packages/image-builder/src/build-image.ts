import {
  type BuiltImage,
  CancelledError,
  CommandError,
  ConfigError,
  contentHashTag,
  isKubernautError,
  type OperationContext,
} from '@kubernaut-e2e/core';
import type { BuildImageOptions } from './build-options.js';
import { hashBuildInputs } from './cache/context-hash.js';
import { CONTENT_HASH_LABEL, localImageRef, SERVICE_LABEL } from './image-ref.js';
import { ENV_CI_ARTIFACT_TAG, registryRef } from './modes.js';
import { type PreparedBuild, prepareBuild } from './prepare-build.js';

export type { BuildImageOptions } from './build-options.js';

/** Adds the image and the service to an engine failure, keeping the command and its stderr tail. */
export function withImageContext(error: unknown, what: string): unknown {
  if (error instanceof CommandError) {
    return new CommandError(error, { cause: error, context: what, transient: error.transient });
  }
  if (isKubernautError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${what}: ${message}`, { cause: error });
}

/**
 * Builds one service image for kind — no cluster needed — and returns `{ ref, id, cached }`.
 *
 * - Validates everything first (`ConfigError` naming the field; nothing has run).
 * - Registry mode (`IMAGE_REGISTRY` + `IMAGE_TAG`): returns `<registry>/<imageName>:<tag>`, builds nothing.
 * - CI artifact mode (`KUBERNAUT_CI_ARTIFACT_TAG`): the image must already be in the engine; it is
 *   verified, never built.
 * - Otherwise hashes the build inputs; an image labelled with the same hash is reused (`cached: true`,
 *   tagged with the requested ref if needed), else the image is built and recorded in the ledger.
 */
export async function buildImageForKind(config: unknown, options: BuildImageOptions): Promise<BuiltImage> {
  const prepared = prepareBuild(config, options);
  return runPreparedBuild(prepared, options);
}

/** Runs a build that {@link prepareBuild} validated (used by the batch builder after validating all). */
export async function runPreparedBuild(
  prepared: PreparedBuild,
  options: BuildImageOptions,
): Promise<BuiltImage> {
  const { config, mode } = prepared;
  const { engine } = options;
  const ctx: OperationContext = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
    logSource: options.logSource ?? `build:${config.serviceName}`,
  };
  const info = (text: string) =>
    options.log?.({ source: ctx.logSource!, stream: 'info', text, at: Date.now() });
  const checkCancelled = () => {
    if (options.signal?.aborted) {
      throw new CancelledError(`building image ${config.imageName} was cancelled`, {
        cause: options.signal.reason,
      });
    }
  };

  if (mode.kind === 'registry') {
    const ref = registryRef(mode.registry, config.imageName, mode.tag);
    info(`registry mode: using ${ref} (no build)`);
    // The nodes pull it; its ID is only known to the registry.
    return { ref, id: '', cached: true };
  }

  if (mode.kind === 'ci-artifact') {
    const ref = localImageRef(engine.name, config.imageName, mode.tag);
    checkCancelled();
    const image = await engine.inspect(ref, ctx).catch((error: unknown) => {
      throw withImageContext(error, `checking CI artifact image ${ref} for service ${config.serviceName}`);
    });
    if (!image) {
      throw ConfigError.field(
        ENV_CI_ARTIFACT_TAG,
        `CI artifact mode: image ${ref} (service ${config.serviceName}) is not in the local ${engine.name} store. ` +
          `Load the artifact first (e.g. \`${engine.name} load -i <artifact>.tar\`), or unset ${ENV_CI_ARTIFACT_TAG} to build locally`,
        'environment',
      );
    }
    info(`CI artifact mode: found ${ref} (${image.id})`);
    return { ref, id: image.id, cached: true };
  }

  checkCancelled();
  const { hash, files } = await hashBuildInputs({
    dockerfile: config.dockerfile,
    context: config.context,
    buildArgs: prepared.buildArgs,
    enableCoverage: config.enableCoverage,
  }).catch((error: unknown) => {
    throw withImageContext(error, `hashing the build inputs of ${config.imageName} (${config.dockerfile})`);
  });
  const tag = config.tag ?? contentHashTag(config.consumer, hash);
  const ref = localImageRef(engine.name, config.imageName, tag);
  info(`content hash ${hash.slice(0, 12)} over ${files} context files → ${ref}`);

  try {
    checkCancelled();
    // Only a tagged image is a finished build. podman commits every step before a failing (or cancelled) one as
    // an untagged intermediate image carrying the build's labels, content hash included: taking one of those
    // would "build" an image missing the steps that never ran.
    const existing = (await engine.findByLabel(CONTENT_HASH_LABEL, hash, ctx)).filter(
      (image) => image.refs.length > 0,
    );
    const hit = existing.find((image) => image.refs.includes(ref)) ?? existing[0];
    if (hit) {
      if (!hit.refs.includes(ref)) {
        checkCancelled();
        await engine.tag(hit.refs[0] ?? hit.id, ref, ctx);
        // Only the new name is ours: removing it later untags, the cached image stays.
        options.ledger?.record({ kind: 'image', name: ref, dispose: () => engine.removeImage(ref) });
      }
      info(`cache hit: ${hit.refs[0] ?? hit.id} has the same content hash; no build`);
      return { ref, id: hit.id, cached: true };
    }

    checkCancelled();
    // Recorded before the build starts: a build cancelled (or timed out) after podman committed the image
    // still leaves it behind, and removing a ref that was never created is a no-op. Its intermediate images
    // (untagged, with this build's label) go with it; those still parent another image stay.
    options.ledger?.record({
      kind: 'image',
      name: ref,
      dispose: async () => {
        await engine.removeImage(ref);
        await removeBuildDebris(engine, hash, {});
      },
    });
    const mounts = config.goModCache ? [{ source: config.goModCache, target: '/go/pkg/mod' }] : [];
    const built = await engine.build(
      {
        ref,
        dockerfile: config.dockerfile,
        context: config.context,
        buildArgs: prepared.buildArgs,
        labels: { [CONTENT_HASH_LABEL]: hash, [SERVICE_LABEL]: config.serviceName },
        ...(mounts.length ? { readOnlyMounts: mounts } : {}),
        timeoutMs: config.timeoutMs,
      },
      ctx,
    );
    return { ref, id: built.id, cached: false };
  } catch (error) {
    await removeBuildDebris(engine, hash, ctx);
    throw withImageContext(error, `building image ${ref} for service ${config.serviceName}`);
  }
}

/**
 * A failed or cancelled build leaves podman's untagged intermediate images behind, each carrying this build's
 * content-hash label. They are this run's debris (no finished build has those inputs), so they go too; best
 * effort, never hiding the build's own error, and not bound to a signal that may already be aborted.
 */
async function removeBuildDebris(
  engine: BuildImageOptions['engine'],
  hash: string,
  ctx: OperationContext,
): Promise<void> {
  const { signal: _aborted, ...untilDone } = ctx;
  try {
    const debris = await engine.findByLabel(CONTENT_HASH_LABEL, hash, untilDone);
    for (const image of debris.filter((i) => i.refs.length === 0)) {
      await engine.removeImage(image.id, untilDone).catch(() => {});
    }
  } catch {
    // Listing failed: the build's error is what the user needs to see.
  }
}
