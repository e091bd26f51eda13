/**
 * @kubernaut-e2e/sim — the simulated toolchain: every port (engine, kind, kubectl, migrator, prober,
 * clock) in-process on a virtual clock, with a timing profile calibrated to the seed and fault injection.
 * Every number it produces is a prediction (`PREDICTION_LABEL`).
 */
export { VirtualClock, type VirtualClockOptions } from './clock/virtual-clock.js';
export {
  type FaultPlan,
  type FaultRule,
  faultPlanSchema,
  faultRuleSchema,
  type SimOperation,
  simOperations,
} from './faults/fault-plan.js';
export { SimulatedFaultError } from './faults/simulated-fault-error.js';
export { SimClusterProvider } from './ports/sim-cluster-provider.js';
export { SimContainerEngine } from './ports/sim-container-engine.js';
export { SimImageBuilder, simImageRef } from './ports/sim-image-builder.js';
export { SimImageLoader } from './ports/sim-image-loader.js';
export { SimKubeClient } from './ports/sim-kube-client.js';
export { SimMigrator } from './ports/sim-migrator.js';
export { SimReadinessProber } from './ports/sim-readiness-prober.js';
export { PREDICTION_LABEL } from './prediction-label.js';
export { defaultTimingProfile } from './profile/default-profile.js';
export {
  buildDurationMs,
  loadDurationMs,
  parseTimingProfile,
  readyDurationMs,
  type TimingProfile,
  timingProfileSchema,
} from './profile/timing-profile.js';
export {
  createSimToolchain,
  type ExistingCluster,
  type SimToolchain,
  type SimToolchainOptions,
} from './toolchain.js';
export type { PortMapping } from './world/kind-config.js';
export { type PodBlock, SimCluster, type SimDeployment } from './world/sim-cluster.js';
export {
  type SimArchive,
  type SimEvent,
  type SimImage,
  type SimPortForward,
  SimWorld,
} from './world/sim-world.js';
