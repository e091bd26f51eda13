import {
  type CommandRunner,
  ConfigError,
  type ContainerEngine,
  createCommandRunner,
  detectTools,
  type LogSink,
  type RunLedger,
  realClock,
  requireTools,
  ToolNotFoundError,
} from '@kubernaut-e2e/core';
import type { RealEngineName } from '@kubernaut-e2e/image-builder';
import type { Toolchain } from '@kubernaut-e2e/orchestrator';
import type { FaultPlan, SimToolchain } from '@kubernaut-e2e/sim';
import { type BuildSettings, engineBuildOptions } from './build-settings.js';
import type { RuntimeName } from './options.js';
import { type ResolvedRegistry, withRegistryNodes } from './registry-mode.js';

/** The real runtimes: their engine builds the images and runs the kind nodes. */
export type RealEngine = RealEngineName;

export interface ToolchainRequest {
  readonly runtime: RuntimeName;
  readonly projectRoot: string;
  readonly ledger: RunLedger;
  readonly coverage: boolean;
  readonly log?: LogSink;
  readonly env?: NodeJS.ProcessEnv;
  /** Sim only. */
  readonly realtimeFactor?: number;
  readonly simWarmCache?: boolean;
  /** Registry mode: push images there instead of loading archives (see `SetupOptions.registry`). */
  readonly registry?: ResolvedRegistry;
  /** How the real engine builds (isolation, `--no-cache`); see `SetupOptions.build`. */
  readonly build?: BuildSettings;
  /**
   * An existing cluster (`SetupOptions.cluster.existing`) instead of kind: its provider creates and deletes nothing,
   * images go to `registry`, and kind need not be installed.
   */
  readonly existingCluster?: { readonly context: string; readonly kubeconfig: string };
  /** Replaces the process boundary (tests). */
  readonly runner?: CommandRunner;
}

export interface ResolvedToolchain {
  readonly runtime: RealEngine | 'sim';
  readonly toolchain: Toolchain;
  /** Present for `sim`: the simulated world, for inspection. */
  readonly sim?: SimToolchain;
  /** Present for real runtimes: the engine that builds and holds the images (for `down` and `status`). */
  readonly engine?: ContainerEngine;
}

/**
 * Picks the runtime. `auto` uses the real tools when podman (or docker), kind and kubectl are all on PATH and
 * otherwise stops with what is missing — it never falls back to the simulator silently.
 */
export async function resolveRuntime(
  runtime: Exclude<RuntimeName, 'sim'>,
  runner: CommandRunner,
  needsKind?: boolean,
): Promise<RealEngine>;
export async function resolveRuntime(
  runtime: RuntimeName,
  runner: CommandRunner,
  needsKind?: boolean,
): Promise<RealEngine | 'sim'>;
export async function resolveRuntime(
  runtime: RuntimeName,
  runner: CommandRunner,
  /** False for an existing cluster: only the engine and kubectl are needed. */
  needsKind = true,
): Promise<RealEngine | 'sim'> {
  if (runtime === 'sim' || runtime === 'podman' || runtime === 'docker') return runtime;
  const tools = await detectTools(runner, ['podman', 'docker', 'kind', 'kubectl']);
  const present = (name: string) => tools.some((t) => t.name === name && t.present);
  const engine: RealEngine | undefined = present('podman')
    ? 'podman'
    : present('docker')
      ? 'docker'
      : undefined;
  const missing = [
    ...(engine ? [] : ['podman or docker']),
    ...(needsKind ? (['kind', 'kubectl'] as const) : (['kubectl'] as const)).filter((t) => !present(t)),
  ];
  if (engine === undefined || missing.length > 0) {
    throw new ToolNotFoundError(
      missing.join(', '),
      'Install them for a real run, or pass `--runtime sim` (option `runtime: "sim"`) to use the simulated toolchain.',
      { detail: `--runtime auto needs a container engine, kind and kubectl; missing: ${missing.join(', ')}` },
    );
  }
  return engine;
}

export async function createToolchain(request: ToolchainRequest): Promise<ResolvedToolchain> {
  const runner = request.runner ?? createCommandRunner(request.log ? { log: request.log } : {});
  // Probing for tools is expected to fail for absent ones: keep that noise out of the run's log.
  const runtime = await resolveRuntime(
    request.runtime,
    request.runner ?? createCommandRunner(),
    request.existingCluster === undefined,
  );
  // Each toolchain's adapters load only when it is the one chosen: planning and simulating never load the real
  // adapters (and their libraries), a real run never loads the simulator.
  if (runtime === 'sim') {
    const { createSimToolchain } = await import('@kubernaut-e2e/sim');
    const faults = simFaultsFromEnvironment(request.env ?? process.env);
    const sim = createSimToolchain({
      ...(faults ? { faults } : {}),
      ...(request.realtimeFactor !== undefined ? { realtimeFactor: request.realtimeFactor } : {}),
      ...(request.simWarmCache ? { cachedImages: 'all' as const } : {}),
      ...(request.registry ? { registry: request.registry.address } : {}),
    });
    return { runtime, toolchain: sim, sim };
  }
  // Checked before the tools are probed: a docker run asked for podman's isolation is bad input.
  const buildOptions = engineBuildOptions(
    runtime,
    request.runtime,
    request.build,
    request.env ?? process.env,
    request.log,
  );
  const needed = request.existingCluster ? [runtime, 'kubectl'] : [runtime, 'kind', 'kubectl'];
  const tools = await detectTools(request.runner ?? createCommandRunner(), needed);
  requireTools(tools, needed);
  const [
    { createExistingClusterProvider, createKindProvider, ensureLocalRegistry },
    { createGooseMigrator, createKubectlClient, createReadinessProber },
    { createEngine, createImageBuilder },
    { createKindImageLoader, createRegistryImageLoader },
  ] = await Promise.all([
    import('@kubernaut-e2e/cluster'),
    import('@kubernaut-e2e/deployers'),
    import('@kubernaut-e2e/image-builder'),
    import('@kubernaut-e2e/kind-loader'),
  ]);
  // With the ledger, a running build is recorded: SIGINT cleanup and `down` stop it before removing its images.
  const engine = createEngine(runtime, runner, { ledger: request.ledger, ...buildOptions });
  const log = request.log;
  const kindCluster = createKindProvider({
    runner,
    engine: runtime,
    ledger: request.ledger,
    coverage: request.coverage,
    ...(log ? { log } : {}),
  });
  // Port-forwards are recorded in the run's ledger: a killed run's kubectl is found and stopped later.
  const kube = (kubeconfigPath: string) =>
    createKubectlClient({ runner, kubeconfigPath, ledger: request.ledger, ...(log ? { log } : {}) });
  // Registry mode: kind's registry container starts before anything is pushed (and is kept: it is the cache), and
  // nodes get the registry's hosts.toml right after the cluster is created.
  if (request.registry?.local) {
    await ensureLocalRegistry({
      runner,
      engine: runtime,
      port: Number(request.registry.address.split(':')[1]),
    });
  }
  const existing = request.existingCluster;
  if (existing && !request.registry)
    throw ConfigError.field('registry', 'an existing cluster pulls its images from a registry: give one');
  const cluster =
    existing && request.registry
      ? createExistingClusterProvider({
          kubeconfigPath: existing.kubeconfig,
          context: existing.context,
          registry: request.registry.address,
          runner,
          ...(log ? { log } : {}),
        })
      : request.registry
        ? withRegistryNodes(kindCluster, { runner, engine: runtime, registry: request.registry, kube })
        : kindCluster;
  const toolchain: Toolchain = {
    clock: realClock,
    imageBuilder: createImageBuilder({
      engine,
      projectRoot: request.projectRoot,
      ledger: request.ledger,
      ...(request.env ? { env: request.env } : {}),
      ...(log ? { log } : {}),
    }),
    imageLoader: request.registry
      ? createRegistryImageLoader({ engine, registry: request.registry.address })
      : createKindImageLoader({
          engine,
          runner,
          ledger: request.ledger,
          provider: runtime,
          cluster: kindCluster,
        }),
    cluster,
    kube,
    migrator: createGooseMigrator(),
    prober: createReadinessProber(),
  };
  return { runtime, toolchain, engine };
}

/**
 * `KUBERNAUT_E2E_SIM_FAULTS`: a JSON fault plan for the simulated toolchain (see `@kubernaut-e2e/sim`'s
 * `FaultPlan`), so a failure can be rehearsed end to end through the CLI, e.g.
 * `[{"op":"container","target":"gateway","fail":true,"message":"panic: no config"}]`. The sim validates it.
 */
function simFaultsFromEnvironment(env: NodeJS.ProcessEnv): FaultPlan | undefined {
  const value = env.KUBERNAUT_E2E_SIM_FAULTS;
  if (value === undefined || value.trim() === '') return undefined;
  try {
    return JSON.parse(value) as FaultPlan;
  } catch (error) {
    throw ConfigError.field(
      'KUBERNAUT_E2E_SIM_FAULTS',
      `not JSON (${(error as Error).message}); give a fault plan such as [{"op":"build","target":"gateway","fail":true}]`,
      'environment',
    );
  }
}
