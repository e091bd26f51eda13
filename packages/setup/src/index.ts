/**
 * @kubernaut-e2e/setup — what every service's E2E setup shares: `setupInfrastructure` and its options, toolchain
 * selection (real tools or the simulated toolchain), host-port claims, the infrastructure handle and the keep
 * policy; `defineService` and `defineStack` to declare services; `defineConfig` and the project config loader.
 * The vitest helpers are at `@kubernaut-e2e/setup/vitest`.
 */

export type { StepValues } from '@kubernaut-e2e/orchestrator';
export {
  type BuildSettings,
  buildSettingsSchema,
  type EngineBuildOptions,
  engineBuildOptions,
} from './build-settings.js';
export { checkProjectConfig, projectConfigSchema } from './config/config-schema.js';
export {
  defineConfig,
  type ProjectConfig,
  type ProjectDefaults,
  type ServiceOverride,
} from './config/define-config.js';
export {
  CONFIG_FILE_NAMES,
  findConfigFile,
  type LoadedConfig,
  loadConfigFile,
  validateProjectConfig,
} from './config/load-config.js';
export { findService, serviceOptions } from './config/service-options.js';
export {
  DEFAULT_DEBOUNCE_MS,
  type DevCycleReport,
  type DevLoop,
  type DevLoopEvent,
  type DevLoopOptions,
  type DevLoopResult,
  type DevPhase,
  type FileWatcher,
  type FileWatchRequest,
  startDevLoop,
  type WatchedImageInfo,
  type WatchFiles,
} from './dev/index.js';
export {
  existingKubeconfigPath,
  type ResolvedExistingCluster,
  runNamespace,
} from './existing-cluster.js';
export type { InfrastructureHandle } from './handle.js';
export { assertHostPortsFree, isHostPortFree } from './host-ports.js';
export { BUILD_ISOLATIONS, type BuildIsolation } from './option-values.js';
export {
  DEFAULT_PATTERN,
  defaultClusterName,
  defaultKubeconfigPath,
  existingClusterSchema,
  KEEP_POLICIES,
  type KeepPolicy,
  keepFromEnvironment,
  kubeconfigDirectory,
  PATTERNS,
  type Pattern,
  RUNTIMES,
  type RuntimeName,
  type SetupOptions,
  setupOptionsSchema,
} from './options.js';
export { orphanedRuns, removeOrphansOf } from './orphans.js';
export { FIXTURE_PROJECT_ROOT, resolveProjectRoot } from './project-root.js';
export {
  type RenderedObject,
  type RenderedSetup,
  type RenderOptions,
  renderSetup,
} from './render/render-setup.js';
export {
  collectRunCoverage,
  defaultOutputDir,
  diagnosticsOfFailedSetup,
  type FailureDiagnostics,
  gatherClusterDiagnostics,
} from './run-reports.js';
// declaring services: one vocabulary, types derived from the schemas
export { defineService } from './service/define-service.js';
export type { Service } from './service/definition.js';
export type { EndpointsOf } from './service/endpoints.js';
export type { ContentSpec } from './service/spec/content.js';
export type {
  ConfigFileSpec,
  DeploymentSpec,
  PolicyRule,
  ProbeSpec,
  PublishSpec,
  VolumeSpec,
} from './service/spec/deployment.js';
export type {
  CertificateSpec,
  ConfigMapSpec,
  ImageSpec,
  ManifestSpec,
  MigrationSpec,
  SecretSpec,
  SeedSpec,
} from './service/spec/parts.js';
export type { RunContext } from './service/spec/run-context.js';
export type { ServiceSpec, StackSpec } from './service/spec/service.js';
export { defineStack, type Stack } from './service/stack.js';
export {
  clusterFiles,
  type FailedSetup,
  failedSetupOf,
  KUBERNAUT_NAMESPACE,
  type LeftRunning,
  type ResolvedSetup,
  resolveSetup,
  setupInfrastructure,
  traceOfFailedSetup,
} from './setup-infrastructure.js';
export { hostPortsOfNodePorts, type SharedClusterRun, sharedClusterRun } from './shared-cluster-run.js';
export { type StepTimeouts, stepTimeoutsFromEnvironment, TIMED_STEP_KINDS } from './step-timeouts.js';
export {
  createToolchain,
  type RealEngine,
  type ResolvedToolchain,
  resolveRuntime,
} from './toolchain.js';
