/**
 * @kubernaut-e2e/image-builder — builds service images for kind with podman or docker, before any
 * cluster exists, with a content-hash build cache and the seed's CI-artifact and registry modes.
 */
export { type BuildImageOptions, buildImageForKind } from './build-image.js';
export { type BuildImagesOptions, buildImagesForKind } from './build-images.js';
export { type ContextHash, type ContextHashInput, hashBuildInputs } from './cache/context-hash.js';
export { DockerIgnore } from './cache/dockerignore.js';
export {
  DEFAULT_BUILD_TIMEOUT_MS,
  type ImageConfigInput,
  imageConfigSchema,
  parseImageConfig,
  type ResolvedImageConfig,
} from './config.js';
export { createDockerEngine } from './engines/docker-engine.js';
export { parseImageInspect } from './engines/inspect-parser.js';
export { createPodmanEngine } from './engines/podman-engine.js';
export { hostGoArch } from './host-arch.js';
export { createImageBuilder } from './image-builder.js';
export { CONTENT_HASH_LABEL, localImageRef, SERVICE_LABEL } from './image-ref.js';
export { ENV_CI_ARTIFACT_TAG, ENV_IMAGE_REGISTRY, ENV_IMAGE_TAG } from './modes.js';
