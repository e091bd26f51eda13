export { hostPortSchema, hostPortsSchema } from './host-ports.js';
export {
  formatImageRef,
  type ImageRef,
  imageNameSchema,
  imageRefSchema,
  imageTagSchema,
  parseImageRef,
} from './image-ref.js';
export { clusterNameSchema, kubeNameSchema } from './kube-names.js';
export { normalizeImageRef } from './normalize-image-ref.js';
export { configIssues, formatIssuePath, parseInput } from './parse-input.js';
export { isInside, pathInsideRoot } from './paths.js';
export {
  parseRegistryAddress,
  type RegistryAddress,
  registryAddressProblem,
  registryImageRef,
} from './registry-address.js';
