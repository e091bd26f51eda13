/**
 * @kubernaut-e2e/image-builder — builds service images for kind with podman or docker, before any
 * cluster exists, with a content-hash build cache and the seed's CI-artifact and registry modes.
 */
export { RUN_LABEL } from '@kubernaut-e2e/core';
export { buildImageForKind } from './build-image.js';
export { buildImagesForKind } from './build-images.js';
export { buildResultExists, CommittedImages, removeBuildResult, } from './build-result.js';
export { hashBuildInputs, } from './cache/context-hash.js';
export { ContextSelection } from './cache/context-selection.js';
export { dockerfileContextSources } from './cache/dockerfile-sources.js';
export { DockerIgnore } from './cache/dockerignore.js';
export { hashImageSources, } from './cache/image-sources-hash.js';
export { DEFAULT_BUILD_TIMEOUT_MS, imageConfigSchema, parseImageConfig, } from './config.js';
export { DEFAULT_WIND_DOWN_MS } from './engines/build-process.js';
export { BUILD_PROCESS_TOOL } from './engines/cli-engine.js';
export { createDockerEngine } from './engines/docker-engine.js';
export { parseImageInspect } from './engines/inspect-parser.js';
export { createPodmanEngine } from './engines/podman-engine.js';
export { brokenImageIn } from './engines/store-errors.js';
export { hostGoArch } from './host-arch.js';
export { createImageBuilder } from './image-builder.js';
export { CONTENT_HASH_LABEL, localImageRef, SERVICE_LABEL } from './image-ref.js';
export { ENV_CI_ARTIFACT_TAG, ENV_IMAGE_REGISTRY, ENV_IMAGE_TAG } from './modes.js';
export { createImageOrphanRemovers } from './orphan-removers.js';
