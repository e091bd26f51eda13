// The readers of kubectl's pod, event and node JSON live in core, where the rollout wait reads pod status too.
export {
  type ContainerStatusInfo,
  type EventInfo,
  type NodeInfo,
  type PodInfo,
  parseEventList,
  parseNodeList,
  parsePodList,
  type VolumeInfo,
} from '@kubernaut-e2e/core/internal';
