import {
  type BuiltImage,
  CancelledError,
  CommandError,
  ConfigError,
  contentHashTag,
  type EngineName,
  isKubernautError,
  newRunId,
  type OperationContext,
  RUN_LABEL,
} from '@kubernaut-e2e/core';
import type { BuildImageOptions } from './build-options.js';
import { CommittedImages, removeBuildResult, trackBuild } from './build-result.js';
import { hashResolvedSources, type ImageSourcesHash } from './cache/image-sources-hash.js';
import { CONTENT_HASH_LABEL, localImageRef, SERVICE_LABEL } from './image-ref.js';
import { ENV_CI_ARTIFACT_TAG, registryRef } from './modes.js';
import { type BuildTarget, type PreparedBuild, prepareBuild, prepareBuildFor } from './prepare-build.js';

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
    const { ref } = await plannedImageRef(prepared, engine.name);
    info(`registry mode: using ${ref} (no build)`);
    // The nodes pull it; its ID is only known to the registry.
    return { ref, id: '', cached: true };
  }

  if (mode.kind === 'ci-artifact') {
    const { ref } = await plannedImageRef(prepared, engine.name);
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
  const { ref, hashed } = await plannedImageRef(prepared, engine.name);
  if (hashed === undefined) throw new Error(`no content hash for ${ref}`); // build mode always hashes
  const { hash, files, sources } = hashed;
  const over = sources === undefined ? 'the whole context' : `${sources.join(', ') || 'no context paths'}`;
  info(`content hash ${hash.slice(0, 12)} over ${files} context files (${over}) → ${ref}`);

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
        options.ledger?.record({
          kind: 'image',
          name: ref,
          dispose: () => engine.removeImage(ref),
          exists: async () => (await engine.inspect(ref)) !== undefined,
          removeCommand: [engine.name, 'rmi', ref],
          resource: { tool: engine.name },
        });
      }
      info(`cache hit: ${hit.refs[0] ?? hit.id} has the same content hash; no build`);
      return { ref, id: hit.id, cached: true };
    }
  } catch (error) {
    throw withImageContext(error, `reusing the build cache for ${ref} (service ${config.serviceName})`);
  }

  checkCancelled();
  // The run's label is on every image this build commits (podman puts it on each step's intermediate image,
  // and the layer cache never moves it to another run's): it is how exactly this build's leftovers are found.
  const runId = options.runId ?? options.ledger?.runId ?? newRunId();
  // Recorded before the build starts: a build cancelled (or timed out) after it committed its image still
  // has it removed, and removing what was never made is a no-op. Each image the build commits is added.
  const tracked = trackBuild(options.ledger, engine, { ref, runId, contentHash: hash });
  const committed = new CommittedImages((id) => tracked.committed(id));
  const buildCtx: OperationContext = {
    ...ctx,
    log: (line) => {
      committed.observe(line.text);
      ctx.log?.(line);
    },
  };
  try {
    const mounts = config.goModCache ? [{ source: config.goModCache, target: '/go/pkg/mod' }] : [];
    const built = await engine.build(
      {
        ref,
        dockerfile: config.dockerfile,
        context: config.context,
        buildArgs: prepared.buildArgs,
        labels: { [CONTENT_HASH_LABEL]: hash, [SERVICE_LABEL]: config.serviceName, [RUN_LABEL]: runId },
        ...(mounts.length ? { readOnlyMounts: mounts } : {}),
        timeoutMs: config.timeoutMs,
      },
      buildCtx,
    );
    return { ref, id: built.id, cached: false };
  } catch (error) {
    // A failed or cancelled build's images are this run's debris: removed now, not at the end of the run.
    // Best effort: the build's own error is what the user needs to see (what is left stays recorded).
    await removeBuildResult(engine, tracked.identity()).catch((cleanup: unknown) => {
      info(`could not remove what the failed build made: ${(cleanup as Error).message}`);
    });
    throw withImageContext(error, `building image ${ref} for service ${config.serviceName}`);
  }
}

/** The reference a prepared build names its image, and in build mode the content hash it was derived from. */
export interface PlannedImageRef {
  readonly ref: string;
  readonly hashed?: ImageSourcesHash;
}

/**
 * The reference {@link runPreparedBuild} returns for `prepared` on `engine`, computed the same way and running
 * nothing: registry mode's `<registry>/<imageName>:<tag>`, CI artifact mode's local name, else the local name tagged
 * with the content hash of the build inputs (reading the Dockerfile and the context files it copies).
 */
export async function plannedImageRef(prepared: PreparedBuild, engine: EngineName): Promise<PlannedImageRef> {
  const { config, mode } = prepared;
  if (mode.kind === 'registry') return { ref: registryRef(mode.registry, config.imageName, mode.tag) };
  if (mode.kind === 'ci-artifact') return { ref: localImageRef(engine, config.imageName, mode.tag) };
  // Only the context files this Dockerfile copies count: images built from one shared context (kubernaut's
  // repository root) stay cache hits when another image's sources change.
  const hashed = await hashResolvedSources(config, prepared.buildArgs).catch((error: unknown) => {
    throw withImageContext(error, `hashing the build inputs of ${config.imageName} (${config.dockerfile})`);
  });
  return {
    ref: localImageRef(engine, config.imageName, config.tag ?? contentHashTag(config.consumer, hashed.hash)),
    hashed,
  };
}

/**
 * The reference {@link buildImageForKind} returns for `config` on the engine `target.engine` names, computed without
 * building or running anything: it reads the Dockerfile and the context files it copies to hash them, as a build
 * does. Throws `ConfigError` for whatever the build would refuse. (`kubernaut-e2e render` names images with it.)
 */
export async function imageRefForKind(config: unknown, target: BuildTarget): Promise<string> {
  return (await plannedImageRef(prepareBuildFor(config, target), target.engine)).ref;
}
