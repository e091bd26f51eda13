import { clusterNameSchema, parseInput, type Toolchain } from '@kubernaut-e2e/core';
import { z } from 'zod';
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
import { SimRegistryImageLoader } from './ports/sim-registry-loader.js';
import { defaultTimingProfile } from './profile/default-profile.js';
import { parseTimingProfile, type TimingProfile } from './profile/timing-profile.js';
import { readPortMappings } from './world/kind-config.js';
import { SimCluster } from './world/sim-cluster.js';
import { SimWorld } from './world/sim-world.js';

/**
 * A cluster that exists before the run starts. `state: 'left-by-earlier-run'` (the default, and what a
 * bare name means) models the cluster an earlier run of the same setup kept: the images of cached builds
 * are on its nodes and Deployments applied to it are already running (ready at once when their images
 * can run). `state: 'empty'` is a cluster holding nothing of ours. Without `config`, the port mappings
 * are taken from the first request that reuses it.
 */
export type ExistingCluster =
  | string
  | { readonly name: string; readonly config?: unknown; readonly state?: 'left-by-earlier-run' | 'empty' };

const existingClustersSchema = z
  .array(
    z.union([
      clusterNameSchema,
      z.strictObject({
        name: clusterNameSchema,
        config: z.unknown().optional(),
        state: z.enum(['left-by-earlier-run', 'empty']).optional(),
      }),
    ]),
  )
  .refine((list) => new Set(list.map((c) => (typeof c === 'string' ? c : c.name))).size === list.length, {
    message: 'each existing cluster must be named once',
  });

export interface SimToolchainOptions {
  /** Timing profile; `defaultTimingProfile` (the seed's numbers) when omitted. */
  readonly profile?: TimingProfile;
  /** Faults to inject, checked before the profile's own `faults`. */
  readonly faults?: FaultPlan;
  /** `'all'`: the build cache is warm, every build is `cached: true` (default `'none'`). */
  readonly cachedImages?: 'none' | 'all';
  /**
   * Clusters that already exist when the run starts (see `ExistingCluster`). A cluster kept by an earlier
   * run on the same toolchain keeps its real node images and objects as well.
   */
  readonly existingClusters?: readonly ExistingCluster[];
  /** Play virtual time at this multiple of wall time (e.g. 20) instead of as fast as possible. */
  readonly realtimeFactor?: number;
  /** Registry mode: images are pushed to this `host:port[/prefix]` instead of loaded, and nodes pull them. */
  readonly registry?: string;
}

/** The ports of a run (core's `Toolchain`), simulated, plus the simulator's engine, world and profile. */
export interface SimToolchain extends Toolchain {
  readonly clock: VirtualClock;
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
    options.faults === undefined ? [] : parseInput(faultPlanSchema, options.faults, 'fault plan');
  const clock = new VirtualClock(
    options.realtimeFactor === undefined ? {} : { realtimeFactor: options.realtimeFactor },
  );
  const world = new SimWorld(clock, profile, { faults, warmCache: options.cachedImages === 'all' });
  const existingClusters = parseInput(
    existingClustersSchema,
    options.existingClusters ?? [],
    'existingClusters',
  );
  for (const existing of existingClusters) {
    const spec = typeof existing === 'string' ? { name: existing } : existing;
    const mappings = spec.config === undefined ? undefined : readPortMappings(spec.config);
    const warm = (spec.state ?? 'left-by-earlier-run') === 'left-by-earlier-run';
    world.clusters.set(spec.name, new SimCluster(spec.name, '', mappings, clock.now(), warm));
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
    imageLoader:
      options.registry === undefined
        ? new SimImageLoader(world, engine, cluster)
        : new SimRegistryImageLoader(engine, options.registry),
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
