import { parseInput } from '@kubernaut-e2e/core';
import { z } from 'zod';
import { faultPlanSchema } from '../faults/fault-plan.js';

const ms = z.number().int().min(0, { message: 'durations are whole milliseconds ≥ 0' });
const msTable = z.record(z.string().min(1), ms);

/**
 * How long each simulated operation takes, in virtual milliseconds. Every figure of the default profile is
 * taken from the seed (see `default-profile.ts`); a custom profile may override any of them.
 */
export const timingProfileSchema = z.strictObject({
  build: z.strictObject({
    /** Uncached build time by `ImageBuildConfig.serviceName` (the engine's service label). */
    byService: msTable,
    /** Uncached build time of a service not listed in `byService`. */
    defaultMs: ms,
    /** A build whose configuration was seen before (or pre-warmed): the engine's layer cache answers. */
    cachedMs: ms,
  }),
  cluster: z.strictObject({
    /** `kind create cluster` including the wait for the control plane. */
    createMs: ms,
    /** Reusing a cluster that already exists (`ifExists: 'reuse'`). */
    reuseMs: ms,
    /** `kind delete cluster`. Teardown is outside every makespan the seed quotes. */
    deleteMs: ms,
  }),
  kube: z.strictObject({
    /** One `kubectl apply` that includes CustomResourceDefinitions (the Established waits are then instant). */
    crdsMs: ms,
    /** One `kubectl apply` that includes a Namespace. */
    namespaceMs: ms,
    /** One `kubectl apply` that includes RBAC objects, a `kubernetes.io/tls` Secret or a webhook configuration. */
    rbacTlsMs: ms,
  }),
  load: z.strictObject({
    /** Fixed cost of saving and importing one archive (`podman save` + `kind load image-archive`). */
    archiveMs: ms,
    /** Added per image in the archive. */
    perImageMs: ms,
    /** `podman push` of one image to a registry (no seed figure; same as one image in an archive). */
    pushMs: ms,
  }),
  ready: z.strictObject({
    /** Time from the apply of a Deployment until it is ready, by Deployment name. */
    byDeployment: msTable,
    /** Any other Deployment ("other service ready"). */
    defaultMs: ms,
  }),
  /** Applying the migrations of one database. */
  migrationsMs: ms,
  /** Faults to inject (merged with the toolchain's `faults` option). */
  faults: faultPlanSchema.optional(),
});

export type TimingProfile = z.infer<typeof timingProfileSchema>;

/** Validates a profile (e.g. read from a JSON file); throws `ConfigError` naming each bad field. */
export function parseTimingProfile(value: unknown): TimingProfile {
  return parseInput(timingProfileSchema, value, 'timing profile');
}

/** Uncached build time of the service `serviceName`. */
export function buildDurationMs(profile: TimingProfile, serviceName: string): number {
  return profile.build.byService[serviceName] ?? profile.build.defaultMs;
}

/** Time from apply to ready of the Deployment called `name`. */
export function readyDurationMs(profile: TimingProfile, deploymentName: string): number {
  return profile.ready.byDeployment[deploymentName] ?? profile.ready.defaultMs;
}

/** Saving and loading one archive holding `imageCount` images; 0 images means nothing to do and costs 0. */
export function loadDurationMs(profile: TimingProfile, imageCount: number): number {
  return imageCount === 0 ? 0 : profile.load.archiveMs + profile.load.perImageMs * imageCount;
}
