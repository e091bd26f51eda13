import type {
  ClusterProvider,
  ImageBuilder,
  ImageLoader,
  KubeClientFactory,
  Migrator,
  ReadinessProber,
} from '@kubernaut-e2e/core';
import { VirtualClock } from './clock/virtual-clock.js';
import type { FaultPlan } from './faults/fault-plan.js';
import { faultPlanSchema } from './faults/fault-plan.js';
import { SimClusterProvider } from './ports/sim-cluster-provider.js';
import { SimContainerEngine } from './ports/sim-container-engine.js';
import { SimImageBuilder } from './ports/sim-image-builder.js';
import { SimImageLoader } from './ports/sim-image-loader.js';
import { SimKubeClient } from './ports/sim-kube-client.js';
import { SimMigrator } from './ports/sim-migrator.js';
import { SimReadinessProber } from './ports/sim-readiness-prober.js';
import { defaultTimingProfile } from './profile/default-profile.js';
import { parseTimingProfile, type TimingProfile } from './profile/timing-profile.js';
import { parseOrThrow } from './validation.js';
import { readPortMappings } from './world/kind-config.js';
import { SimCluster } from './world/sim-cluster.js';
import { SimWorld } from './world/sim-world.js';

/** A cluster that exists before the run starts (`name` alone: its config is taken from the first reuse). */
export type ExistingCluster = string | { readonly name: string; readonly config?: unknown };

export interface SimToolchainOptions {
  /** Timing profile; `defaultTimingProfile` (the seed's numbers) when omitted. */
  readonly profile?: TimingProfile;
  /** Faults to inject, checked before the profile's own `faults`. */
  readonly faults?: FaultPlan;
  /** `'all'`: the build cache is warm, every build is `cached: true` (default `'none'`). */
  readonly cachedImages?: 'none' | 'all';
  /**
   * Clusters that already exist when the run starts (empty: no node images, no objects). A cluster
   * kept by an earlier run on the same toolchain keeps its node images and objects instead.
   */
  readonly existingClusters?: readonly ExistingCluster[];
  /** Play virtual time at this multiple of wall time (e.g. 20) instead of as fast as possible. */
  readonly realtimeFactor?: number;
}

/**
 * The ports of a run, simulated (structurally the orchestrator's `Toolchain`, plus the simulator's
 * engine, world and profile). The sim does not depend on the orchestrator; it declares the same fields.
 */
export interface SimToolchain {
  readonly clock: VirtualClock;
  readonly imageBuilder: ImageBuilder;
  readonly imageLoader: ImageLoader;
  readonly cluster: ClusterProvider;
  readonly kube: KubeClientFactory;
  readonly migrator: Migrator;
  readonly prober: ReadinessProber;
  /** The simulated container engine behind `imageBuilder` and `imageLoader`. */
  readonly engine: SimContainerEngine;
  /** Inspectable state: engine images, clusters (node images, objects, deployments), port-forwards, events. */
  readonly world: SimWorld;
  readonly profile: TimingProfile;
}

/**
 * Creates a simulated toolchain: every port in-process on one virtual clock, so a whole `up` runs in
 * milliseconds with an exact, repeatable makespan. Options are validated first (`ConfigError`).
 */
export function createSimToolchain(options: SimToolchainOptions = {}): SimToolchain {
  const profile = options.profile === undefined ? defaultTimingProfile : parseTimingProfile(options.profile);
  const faults =
    options.faults === undefined ? [] : parseOrThrow(faultPlanSchema, options.faults, 'fault plan');
  const clock = new VirtualClock(
    options.realtimeFactor === undefined ? {} : { realtimeFactor: options.realtimeFactor },
  );
  const world = new SimWorld(clock, profile, { faults, warmCache: options.cachedImages === 'all' });
  for (const existing of options.existingClusters ?? []) {
    const name = typeof existing === 'string' ? existing : existing.name;
    const config = typeof existing === 'string' ? undefined : existing.config;
    world.clusters.set(
      name,
      new SimCluster(name, '', config === undefined ? undefined : readPortMappings(config), clock.now()),
    );
  }
  const engine = new SimContainerEngine(world);
  const cluster = new SimClusterProvider(world);
  const clients = new Map<string, SimKubeClient>();
  return {
    clock,
    engine,
    world,
    profile,
    cluster,
    imageBuilder: new SimImageBuilder(world, engine),
    imageLoader: new SimImageLoader(world, engine, cluster),
    kube: (kubeconfigPath) => {
      let client = clients.get(kubeconfigPath);
      if (!client) {
        client = new SimKubeClient(world, kubeconfigPath);
        clients.set(kubeconfigPath, client);
      }
      return client;
    },
    migrator: new SimMigrator(world),
    prober: new SimReadinessProber(world),
  };
}
