/**
 * @kubernaut-e2e/image-builder — builds service images for kind with podman or docker, before any
 * cluster exists, with a content-hash build cache and the seed's CI-artifact and registry modes.
 */

export { RUN_LABEL } from '@kubernaut-e2e/core';
export { type BuildImageOptions, buildImageForKind, imageRefForKind } from './build-image.js';
export { type BuildImagesOptions, buildImagesForKind } from './build-images.js';
export {
  type BuildIdentity,
  buildResultExists,
  CommittedImages,
  removeBuildResult,
} from './build-result.js';
export {
  type ContextHash,
  type ContextHashInput,
  type ContextSelector,
  hashBuildInputs,
} from './cache/context-hash.js';
export { ContextSelection } from './cache/context-selection.js';
export { type ContextSources, dockerfileContextSources } from './cache/dockerfile-sources.js';
export { DockerIgnore } from './cache/dockerignore.js';
export {
  hashImageSources,
  type ImageSourcesHash,
  type ImageSourcesHashOptions,
} from './cache/image-sources-hash.js';
export {
  DEFAULT_BUILD_TIMEOUT_MS,
  type ImageConfigInput,
  imageConfigSchema,
  parseImageConfig,
  type ResolvedImageConfig,
} from './config.js';
export { type BuildStopPolicy, DEFAULT_WIND_DOWN_MS } from './engines/build-process.js';
export { BUILD_PROCESS_TOOL, type CliEngineOptions } from './engines/cli-engine.js';
export { createEngine, type RealEngineName } from './engines/create-engine.js';
export { createDockerEngine } from './engines/docker-engine.js';
export { parseImageInspect } from './engines/inspect-parser.js';
export { createPodmanEngine } from './engines/podman-engine.js';
export { brokenImageIn } from './engines/store-errors.js';
export { hostGoArch } from './host-arch.js';
export { createImageBuilder } from './image-builder.js';
export { CONTENT_HASH_LABEL, localImageRef, SERVICE_LABEL } from './image-ref.js';
export { ENV_CI_ARTIFACT_TAG, ENV_IMAGE_REGISTRY, ENV_IMAGE_TAG } from './modes.js';
export { createImageOrphanRemovers } from './orphan-removers.js';
export type { BuildTarget } from './prepare-build.js';
