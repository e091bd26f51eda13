import {
  clusterNameSchema,
  type EventStream,
  hostPortSchema,
  type LogSink,
  type RunLedger,
  registryAddressProblem,
} from '@kubernaut-e2e/core';
import { failAfterRestartsSchema, type Toolchain } from '@kubernaut-e2e/orchestrator';
import { z } from 'zod';
import { buildSettingsSchema } from './build-settings.js';
import { KEEP_POLICIES, PATTERNS, RUNTIMES } from './option-values.js';
import type { StepTimeouts } from './step-timeouts.js';

// The values, defaults and `KEEP_CLUSTER` live in a module without zod or the planner
// (`@kubernaut-e2e/setup/options`), so a command line can check its flags before loading anything heavy.
export {
  DEFAULT_PATTERN,
  defaultClusterName,
  defaultKubeconfigPath,
  KEEP_POLICIES,
  type KeepPolicy,
  keepFromEnvironment,
  kubeconfigDirectory,
  PATTERNS,
  type Pattern,
  RUNTIMES,
  type RuntimeName,
} from './option-values.js';

/**
 * `cluster: { existing: { context, kubeconfig? } }`: run against a cluster kubernaut-e2e did not create (a shared CI
 * cluster). Nothing is created or deleted but the run's own namespace `<service>-<run id>` and what it applies; images
 * go to `registry` (`{ url: 'host:port[/prefix]' }`, required), which the cluster pulls from. `kubeconfig`: the file
 * with the context; `KUBECONFIG` (its first entry), else `~/.kube/config`.
 */
export const existingClusterSchema = z.strictObject({
  existing: z.strictObject({
    context: z.string().trim().min(1, 'name the kubeconfig context of the existing cluster'),
    kubeconfig: z.string().min(1, 'a kubeconfig file path, or leave it out').optional(),
  }),
});

/** The data part of the options, validated before anything runs. */
export const setupOptionsSchema = z.object({
  /**
   * Step ordering: `dag`, the seed's `standard` (cluster first) or `hybrid` (builds first). Unset: the project
   * config's choice for the service, else the service's own, else `dag`.
   */
  pattern: z.enum(PATTERNS).optional(),
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
  /** How podman or docker builds: `{ isolation?, noCache? }` (see `buildSettingsSchema`); unset, the engine's defaults. */
  build: buildSettingsSchema.optional(),
  /**
   * The kind config to start from instead of the service's own choice: a file relative to the project root (e.g.
   * `test/infrastructure/kind-gateway-config.yaml`; the setup's port mappings and mounts are merged in), or `false`
   * for the one-node config the setup builds from the host ports.
   */
  kindConfig: z
    .union([
      z.string().min(1, 'a kind config file relative to the project root'),
      z.literal(false, { message: 'a kind config file relative to the project root, or false' }),
    ])
    .optional(),
  /**
   * Registry mode: images are pushed to a registry as soon as they are built (while the cluster is still being
   * created) and the nodes pull them, fetching only the layers they lack. `'local'` runs kind's `kind-registry`
   * container on 127.0.0.1:5001 (started once, kept across runs); `{ url: 'localhost:<port>' }` uses a registry
   * that already runs there (`endpoint`: where the nodes reach it, `http://kind-registry:5000` by default).
   * Unset: images are loaded into the nodes as one archive.
   */
  registry: z
    .union([
      z.literal('local'),
      z.strictObject({
        url: z.string().refine((v) => registryAddressProblem(v) === undefined, {
          error: (issue) => registryAddressProblem(String(issue.input)) ?? 'not a registry address',
        }),
        endpoint: z
          .string()
          .regex(/^https?:\/\/[^/\s]+$/, {
            message: 'give the URL nodes reach the registry at, e.g. http://kind-registry:5000',
          })
          .optional(),
      }),
    ])
    .optional(),
  /**
   * Which cluster: unset, a kind cluster this run creates (or reuses, `reuseCluster`). `{ existing: { context,
   * kubeconfig? } }`: a cluster that already runs and may be shared by many suites (see `existingClusterSchema`).
   */
  cluster: existingClusterSchema.optional(),
  /** Override host ports by name (see each service's `defaultHostPorts`). */
  hostPorts: z.record(z.string(), hostPortSchema).optional(),
  /**
   * Where a run writes what it finds out: `diagnostics/<run>/` when it fails, `coverage/<run>/` at teardown with
   * coverage on. the service's folder under `~/.local/state/kubernaut-e2e/runs/` by default (`defaultOutputDir`: outside every build context).
   */
  outputDir: z.string().min(1).optional(),
  /**
   * Give up on a crash-looping container once it has restarted this many times (the kubelet waits 10 s, 20 s, 40 s…
   * between restarts), instead of waiting for the readiness deadline; a component's own `failAfterRestarts` wins.
   * Default 2. Other states a pod cannot leave on its own (an image never loaded, a missing ConfigMap key) fail the
   * wait at once.
   */
  failAfterRestarts: failAfterRestartsSchema.optional(),
  /** Collect diagnostics when the setup fails (pods, events, logs, kind's logs, the failed step's output). */
  diagnostics: z.boolean().default(true),
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
  /**
   * A deadline per step kind (ms): a step still running at it is cancelled and the run fails naming it. Defaults to
   * `KUBERNAUT_E2E_STEP_TIMEOUTS` (e.g. `build=15m,load=90s`); unset kinds have none of their own.
   */
  readonly stepTimeoutMs?: StepTimeouts;
}
