export type { Clock } from './clock.js';
export type {
  ClusterCreateRequest,
  ClusterDeleteOptions,
  ClusterInfo,
  ClusterProvider,
  ExistingClusterPolicy,
} from './cluster-provider.js';
export type { CommandResult, CommandRunner, RunningCommand, RunOptions } from './command-runner.js';
export type { BuildRequest, ContainerEngine, EngineName, ImageInfo } from './container-engine.js';
export { pushByTagging } from './container-engine.js';
export type {
  BuiltImage,
  ImageBuildConfig,
  ImageBuilder,
  ImageLoader,
  LoadKnowledge,
  LoadReport,
} from './image-pipeline.js';
export { heldByEngine } from './image-pipeline.js';
export type {
  JsonPatchOperation,
  KubeClient,
  KubeClientFactory,
  KubeLogOptions,
  KubeObject,
  KubeReadOptions,
  PortForward,
  ResourceRef,
} from './kube-client.js';
export type { LogLine, LogSink } from './log-sink.js';
export { silentLog } from './log-sink.js';
export type { DatabaseTarget, MigrationReport, Migrator } from './migrator.js';
export type { OperationContext } from './operation-context.js';
export type { HttpProbe, Probe, ReadinessOptions, ReadinessProber, TcpProbe } from './probes.js';
export type { Toolchain } from './toolchain.js';
