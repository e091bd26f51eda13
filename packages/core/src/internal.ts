/**
 * @kubernaut-e2e/core/internal — what only the sibling packages of kubernaut-e2e use. Not a public API: it may change
 * in any release. Users import from `@kubernaut-e2e/core` (and its `errors`, `testing` subpaths).
 */

export {
  type ContainerStatusInfo,
  type EventInfo,
  type NodeInfo,
  type PodInfo,
  parseEventList,
  parseNodeList,
  parsePodList,
  type VolumeInfo,
  type VolumeSourceInfo,
} from './kube/kube-status.js';
export {
  containerConfigCause,
  crashCause,
  exitedCause,
  IMAGE_PULL_REASONS,
  imageCause,
  ownImages,
  type TerminalPodState,
  type TerminalStatePolicy,
  terminalPodState,
} from './kube/pod-causes.js';
export { type NodeImage, parseCrictlImages } from './tools/crictl-images.js';
