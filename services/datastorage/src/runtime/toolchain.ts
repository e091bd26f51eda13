import { createKindProvider } from '@kubernaut-e2e/cluster';
import {
  type CommandRunner,
  type ContainerEngine,
  createCommandRunner,
  detectTools,
  type LogSink,
  type RunLedger,
  realClock,
  requireTools,
  ToolNotFoundError,
} from '@kubernaut-e2e/core';
import { createGooseMigrator, createKubectlClient, createReadinessProber } from '@kubernaut-e2e/deployers';
import { createDockerEngine, createImageBuilder, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { createKindImageLoader } from '@kubernaut-e2e/kind-loader';
import type { Toolchain } from '@kubernaut-e2e/orchestrator';
import { createSimToolchain, type SimToolchain } from '@kubernaut-e2e/sim';
import type { RuntimeName } from './setup-options.js';

export type RealEngine = 'podman' | 'docker';

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
  runtime: RuntimeName,
  runner: CommandRunner,
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
    ...(['kind', 'kubectl'] as const).filter((t) => !present(t)),
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
  const runtime = await resolveRuntime(request.runtime, request.runner ?? createCommandRunner());
  if (runtime === 'sim') {
    const sim = createSimToolchain({
      ...(request.realtimeFactor !== undefined ? { realtimeFactor: request.realtimeFactor } : {}),
      ...(request.simWarmCache ? { cachedImages: 'all' as const } : {}),
    });
    return { runtime, toolchain: sim, sim };
  }
  const tools = await detectTools(request.runner ?? createCommandRunner(), [runtime, 'kind', 'kubectl']);
  requireTools(tools, [runtime, 'kind', 'kubectl']);
  const engine = runtime === 'podman' ? createPodmanEngine(runner) : createDockerEngine(runner);
  const log = request.log;
  const cluster = createKindProvider({
    runner,
    engine: runtime,
    ledger: request.ledger,
    coverage: request.coverage,
    ...(log ? { log } : {}),
  });
  const toolchain: Toolchain = {
    clock: realClock,
    imageBuilder: createImageBuilder({
      engine,
      projectRoot: request.projectRoot,
      ledger: request.ledger,
      ...(request.env ? { env: request.env } : {}),
      ...(log ? { log } : {}),
    }),
    imageLoader: createKindImageLoader({
      engine,
      runner,
      ledger: request.ledger,
      provider: runtime,
      cluster,
    }),
    cluster,
    kube: (kubeconfigPath) => createKubectlClient({ runner, kubeconfigPath, ...(log ? { log } : {}) }),
    migrator: createGooseMigrator(),
    prober: createReadinessProber(),
  };
  return { runtime, toolchain, engine };
}
