import { readFile } from 'node:fs/promises';
import { parseImageConfig, type ResolvedImageConfig } from '../config.js';
import { effectiveBuildArgs } from '../prepare-build.js';
import { type ContextHash, hashBuildInputs } from './context-hash.js';
import { ContextSelection } from './context-selection.js';
import { type ContextSources, dockerfileContextSources } from './dockerfile-sources.js';

export interface ImageSourcesHash extends ContextHash {
  /** Absolute Dockerfile path. */
  readonly dockerfile: string;
  /** Absolute build context directory. */
  readonly context: string;
  /** The context patterns the hash covers (the Dockerfile's COPY/ADD sources); `undefined`: the whole context. */
  readonly sources: ContextSources;
  /** The build arguments a build of this config passes (what ARG substitution in the sources used). */
  readonly buildArgs: Readonly<Record<string, string>>;
}

export interface ImageSourcesHashOptions {
  /** The directory every Dockerfile and context must stay inside (as for `buildImageForKind`). */
  readonly projectRoot: string;
  /** Read for `E2E_COVERAGE`; `process.env` when omitted. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The architecture the build targets (`GOARCH`); the host's when omitted. */
  readonly hostArch?: string;
}

/**
 * Content hash of what an image's build reads: the Dockerfile, build arguments, coverage, and only the context
 * files its COPY/ADD instructions take (honouring `.dockerignore`). Two images built from one shared context
 * (kubernaut builds every image from the repository root) get different hashes when only one's files change.
 * It is the hash `buildImageForKind` labels the image with and looks its cache up by, so an image whose own files
 * did not change is a cache hit. When the Dockerfile reads the whole context (`COPY . .`) or cannot be read for
 * certain, every context file counts. Throws `ConfigError` for a config it would refuse.
 */
export async function hashImageSources(
  config: unknown,
  options: ImageSourcesHashOptions,
): Promise<ImageSourcesHash> {
  const resolved = parseImageConfig(config, options.projectRoot, options.env ?? process.env);
  return hashResolvedSources(resolved, effectiveBuildArgs(resolved, options.hostArch ?? process.arch));
}

/**
 * {@link hashImageSources} of a config already resolved, with the build arguments its build passes: the content
 * hash `buildImageForKind` labels the image with and looks the cache up by.
 */
export async function hashResolvedSources(
  resolved: Pick<ResolvedImageConfig, 'dockerfile' | 'context' | 'enableCoverage'>,
  buildArgs: Readonly<Record<string, string>>,
): Promise<ImageSourcesHash> {
  const sources = dockerfileContextSources(await readFile(resolved.dockerfile, 'utf8'), buildArgs);
  const hash = await hashBuildInputs({
    dockerfile: resolved.dockerfile,
    context: resolved.context,
    buildArgs,
    enableCoverage: resolved.enableCoverage,
    ...(sources === undefined ? {} : { select: new ContextSelection(sources) }),
  });
  return { ...hash, dockerfile: resolved.dockerfile, context: resolved.context, sources, buildArgs };
}
