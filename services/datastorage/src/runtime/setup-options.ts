import {
  ConfigError,
  clusterNameSchema,
  type EventStream,
  hostPortSchema,
  type LogSink,
  type RunLedger,
} from '@kubernaut-e2e/core';
import type { Toolchain } from '@kubernaut-e2e/orchestrator';
import { z } from 'zod';

export const PATTERNS = ['dag', 'standard', 'hybrid'] as const;
export const RUNTIMES = ['auto', 'podman', 'docker', 'sim'] as const;
export const KEEP_POLICIES = ['never', 'on-failure', 'always'] as const;

export type Pattern = (typeof PATTERNS)[number];
export type RuntimeName = (typeof RUNTIMES)[number];
export type KeepPolicy = (typeof KEEP_POLICIES)[number];

/** The data part of the options, validated before anything runs. */
export const setupOptionsSchema = z.object({
  /** Step ordering: `dag` (default), the seed's `standard` (cluster first) or `hybrid` (builds first). */
  pattern: z.enum(PATTERNS).default('dag'),
  /** Real tools, or `sim`, the in-process simulated toolchain. `auto` never falls back to `sim` silently. */
  runtime: z.enum(RUNTIMES).default('auto'),
  /** The kubernaut checkout the images, migrations and CRDs come from. */
  projectRoot: z.string().min(1).optional(),
  clusterName: clusterNameSchema.optional(),
  /** Where the kubeconfig is written (0600); `~/.kube/kubernaut-e2e/<cluster>.kubeconfig` by default. */
  kubeconfigPath: z.string().min(1).optional(),
  /** Keep the cluster after teardown: never, only when setup failed (to debug it), or always. */
  keep: z.enum(KEEP_POLICIES).optional(),
  /** Reuse a cluster of the same name if one exists (a warm start), instead of refusing. */
  reuseCluster: z.boolean().default(false),
  /** Build with `GOFLAGS=-cover` and mount `/coverdata`; defaults to `E2E_COVERAGE=true`. */
  coverage: z.boolean().optional(),
  /** Override host ports by name (see each service's `defaultHostPorts`). */
  hostPorts: z.record(z.string(), hostPortSchema).optional(),
  /** Sim only: play virtual time this many times faster than real time (a live demo). */
  realtimeFactor: z.number().positive().optional(),
  /** Sim only: pretend every image is already built (a warm cache). */
  simWarmCache: z.boolean().optional(),
});

export type SetupOptionsData = z.input<typeof setupOptionsSchema>;

/** Options of `setup<Service>Infrastructure()`. */
export interface SetupOptions extends SetupOptionsData {
  /** Receives every command output line and progress message. */
  readonly log?: LogSink;
  /** Step events for progress displays; one is created when omitted. */
  readonly events?: EventStream;
  /** Aborting cancels the setup and cleans up what it created. */
  readonly signal?: AbortSignal;
  /** Environment variables read for defaults (`E2E_COVERAGE`, `KEEP_CLUSTER`, `IMAGE_REGISTRY`, …). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Bring your own ports instead of `runtime` (e.g. a simulated toolchain with injected faults, or adapters
   * of your own). The handle then reports `runtime: 'custom'`.
   */
  readonly toolchain?: Toolchain;
  /**
   * The ledger `toolchain`'s adapters record into (images built, temp dirs, the cluster), e.g. the one given to
   * `createToolchain`. Setup then cleans it up as its own: everything on failure, temp files on success. Without
   * it, what a caller's toolchain records is the caller's to clean up.
   */
  readonly ledger?: RunLedger;
}

/**
 * The keep policy from `KEEP_CLUSTER`: `true`/`1` (the seed's variable) means `always`, `false`/`0` or unset means
 * no preference, and a policy name is taken as is. Anything else is a `ConfigError` naming the variable.
 */
export function keepFromEnvironment(env: NodeJS.ProcessEnv): KeepPolicy | undefined {
  const value = env.KEEP_CLUSTER;
  if (value === undefined || value === '' || value === 'false' || value === '0') return undefined;
  if (value === 'true' || value === '1') return 'always';
  if ((KEEP_POLICIES as readonly string[]).includes(value)) return value as KeepPolicy;
  throw ConfigError.field(
    'KEEP_CLUSTER',
    `unknown value "${value}"; allowed: ${KEEP_POLICIES.join(', ')} (or true/false)`,
    'environment',
  );
}
