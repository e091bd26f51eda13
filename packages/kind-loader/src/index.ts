/**
 * @kubernaut-e2e/kind-loader — puts built images onto a kind cluster's nodes: one multi-image archive,
 * one `kind load image-archive`, skipping what the nodes already hold.
 */

export { type BuildAndLoadOptions, buildAndLoadImageToKind } from './build-and-load.js';
export { createKindImageLoader } from './image-loader.js';
export { controlPlaneNode, kindLoadArchiveArgs } from './kind-command.js';
export { loadImageToKind } from './load-image.js';
export { loadImagesToKind } from './load-images.js';
export type { KindLoadOptions, KindProvider } from './load-options.js';
export { nodeImageName } from './node-image-name.js';
export { createRegistryImageLoader, type RegistryLoaderOptions } from './registry-loader.js';
