import { statSync } from 'node:fs';
import {
  type BuiltImage,
  CancelledError,
  CommandError,
  ConfigError,
  type ContainerEngine,
  contentHashTag,
  isKubernautError,
  type LogSink,
  type OperationContext,
  type RunLedger,
} from '@kubernaut-e2e/core';
import { hashBuildInputs } from './cache/context-hash.js';
import { parseImageConfig, type ResolvedImageConfig } from './config.js';
import { hostGoArch } from './host-arch.js';
import { CONTENT_HASH_LABEL, localImageRef, SERVICE_LABEL } from './image-ref.js';
import { type BuildMode, buildModeFromEnv, ENV_CI_ARTIFACT_TAG, registryRef } from './modes.js';

export interface BuildImageOptions {
  /** Podman (`createPodmanEngine`) or docker (`createDockerEngine`). */
  readonly engine: ContainerEngine;
  /** Every Dockerfile and build context must resolve inside this directory. */
  readonly projectRoot: string;
  readonly log?: LogSink;
  /** Prefix of log lines; `build:<serviceName>` by default. */
  readonly logSource?: string;
  /** Aborting kills the build. */
  readonly signal?: AbortSignal;
  /** Where the mode variables and `E2E_COVERAGE` are read; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Records every image (and every tag) this call creates, so a failed run removes exactly those and
   * never a cached or pre-existing image.
   */
  readonly ledger?: Pick<RunLedger, 'record'>;
  /** `process.arch` by default; decides the `GOARCH` build argument. */
  readonly hostArch?: string;
}

/** A validated build, ready to run: what {@link buildImageForKind} checks before any command. */
export interface PreparedBuild {
  readonly config: ResolvedImageConfig;
  readonly mode: BuildMode;
  readonly buildArgs: Readonly<Record<string, string>>;
}

/** Validates config, options and environment; throws `ConfigError` before anything runs. */
export function prepareBuild(config: unknown, options: BuildImageOptions): PreparedBuild {
  if (!options || typeof options !== 'object' || !options.engine) {
    throw ConfigError.field(
      'engine',
      'is required: pass createPodmanEngine(runner) or createDockerEngine(runner)',
      'build options',
    );
  }
  if (typeof options.projectRoot !== 'string' || options.projectRoot.trim() === '') {
    throw ConfigError.field(
      'projectRoot',
      'is required: the directory every Dockerfile and build context must stay inside',
      'build options',
    );
  }
  const env = options.env ?? process.env;
  const resolved = parseImageConfig(config, options.projectRoot, env);
  const mode = buildModeFromEnv(env);
  if (mode.kind === 'build' && resolved.goModCache !== undefined && options.engine.name === 'docker') {
    throw ConfigError.field(
      'goModCache',
      'docker build cannot bind-mount a host directory; use the podman engine or drop goModCache (a BuildKit cache mount in the Dockerfile does the same job)',
      'image config',
    );
  }
  if (mode.kind === 'build') checkPathsExist(resolved);
  return {
    config: resolved,
    mode,
    buildArgs: effectiveBuildArgs(resolved, options.hostArch ?? process.arch),
  };
}

/** A missing Dockerfile or context is bad input too: name the field, before podman says it less clearly. */
function checkPathsExist(config: ResolvedImageConfig): void {
  const kind = (path: string) => {
    try {
      const info = statSync(path);
      return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
    } catch {
      return 'missing';
    }
  };
  const issues: { path: string; message: string }[] = [];
  if (kind(config.dockerfile) !== 'file') {
    issues.push({
      path: 'dockerfilePath',
      message: `${config.dockerfile} is not a file: point dockerfilePath at the service's Dockerfile`,
    });
  }
  if (kind(config.context) !== 'dir') {
    issues.push({
      path: 'buildContextPath',
      message: `${config.context} is not a directory: the build context must be an existing directory`,
    });
  }
  if (config.goModCache !== undefined && kind(config.goModCache) !== 'dir') {
    issues.push({
      path: 'goModCache',
      message: `${config.goModCache} is not a directory: give the host Go module cache (\`go env GOMODCACHE\`) or leave it out`,
    });
  }
  if (issues.length) throw new ConfigError(issues, { subject: 'image config' });
}

/**
 * The build arguments actually passed: `GOARCH` of the host (kind nodes run the host's architecture),
 * the caller's arguments (which may override it), and `GOFLAGS=-cover` for coverage builds (appended to
 * any GOFLAGS the caller set).
 */
export function effectiveBuildArgs(config: ResolvedImageConfig, nodeArch: string): Record<string, string> {
  const goArch = hostGoArch(nodeArch);
  const args: Record<string, string> = { ...(goArch ? { GOARCH: goArch } : {}), ...config.buildArgs };
  if (config.enableCoverage) args.GOFLAGS = args.GOFLAGS ? `${args.GOFLAGS} -cover` : '-cover';
  return args;
}

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
    const existing = await engine.findByLabel(CONTENT_HASH_LABEL, hash, ctx);
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
    options.ledger?.record({ kind: 'image', name: ref, dispose: () => engine.removeImage(ref) });
    return { ref, id: built.id, cached: false };
  } catch (error) {
    throw withImageContext(error, `building image ${ref} for service ${config.serviceName}`);
  }
}
