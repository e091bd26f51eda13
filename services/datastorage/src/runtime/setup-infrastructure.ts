import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, EventStream, type KubernautError, parseInput, RunLedger } from '@kubernaut-e2e/core';
import {
  type Plan,
  planSetup,
  runPlan,
  type ServiceDeclaration,
  type Trace,
} from '@kubernaut-e2e/orchestrator';
import type { z } from 'zod';
import { claimSetupResources } from './claims.js';
import type { InfrastructureHandle } from './handle.js';
import { assertHostPortsFree } from './host-ports.js';
import { resolveProjectRoot } from './project-root.js';
import type { ServiceDefinition } from './service-definition.js';
import {
  type KeepPolicy,
  keepFromEnvironment,
  type SetupOptions,
  setupOptionsSchema,
} from './setup-options.js';
import { createToolchain } from './toolchain.js';

const failedTraces = new WeakMap<object, Trace>();

/** The trace of a setup that failed with `error` (to show where the time went up to the failure). */
export function traceOfFailedSetup(error: unknown): Trace | undefined {
  return typeof error === 'object' && error !== null ? failedTraces.get(error) : undefined;
}

/** Everything kubernaut deploys goes here (the seed's namespace). */
export const KUBERNAUT_NAMESPACE = 'kubernaut-system';

/** A service's setup resolved from its options: what would run, before anything runs. */
export interface ResolvedSetup {
  readonly options: z.output<typeof setupOptionsSchema>;
  readonly projectRoot: string;
  readonly clusterName: string;
  readonly kubeconfigPath: string;
  readonly keep: KeepPolicy;
  readonly coverage: boolean;
  /** Host directory mounted at `/coverdata` when coverage is on (`E2E_COVERDIR`, else `<projectRoot>/coverdata/<service>`). */
  readonly coverageDir?: string;
  readonly hostPorts: Readonly<Record<string, number>>;
  readonly declaration: ServiceDeclaration;
  readonly endpoints: Readonly<Record<string, string>>;
  /** The validated step graph of the chosen pattern. */
  readonly plan: Plan;
}

/**
 * Validates the options and declares and plans the service's setup: pure except for reading the project's CRD
 * files. Every bad input surfaces here as a `ConfigError` (or `PlanError`), before anything runs.
 */
export async function resolveSetup(
  definition: ServiceDefinition,
  options: SetupOptions = {},
): Promise<ResolvedSetup> {
  const {
    log: _log,
    events: _events,
    signal: _signal,
    env: givenEnv,
    toolchain: _toolchain,
    ledger: _ledger,
    ...data
  } = options;
  const env = givenEnv ?? process.env;
  const o = parseInput(setupOptionsSchema, data, `${definition.service} setup options`);
  const projectRoot = resolveProjectRoot(o.projectRoot, env);
  const clusterName = o.clusterName ?? `${definition.service}-e2e`;
  const kubeconfigPath = resolve(
    o.kubeconfigPath ?? join(homedir(), '.kube', 'kubernaut-e2e', `${clusterName}.kubeconfig`),
  );
  const keep = o.keep ?? keepFromEnvironment(env) ?? 'never';
  const coverage = o.coverage ?? env.E2E_COVERAGE === 'true';
  const hostPorts = mergeHostPorts(definition, o.hostPorts);
  if (o.runtime !== 'sim') assertWritableParent(kubeconfigPath);

  // Coverage-instrumented binaries write to /coverdata in the node; kind mounts this host directory there.
  const coverageDir = coverage
    ? resolve(env.E2E_COVERDIR ?? join(projectRoot, 'coverdata', definition.service))
    : undefined;
  const declared = await definition.declare({
    projectRoot,
    clusterName,
    kubeconfigPath,
    coverage,
    hostPorts,
    consumer: `${definition.service}-e2e`,
    namespace: KUBERNAUT_NAMESPACE,
    ...(coverageDir ? { coverageDir } : {}),
  });
  const declaration: ServiceDeclaration = {
    ...declared.declaration,
    cluster: { ...declared.declaration.cluster, ifExists: o.reuseCluster ? 'reuse' : 'fail' },
  };
  // Planning validates the graph (cycles, dangling dependencies, undeclared images).
  const plan = planSetup(declaration, { strategy: o.pattern });
  return {
    options: o,
    projectRoot,
    clusterName,
    kubeconfigPath,
    keep,
    coverage,
    ...(coverageDir ? { coverageDir } : {}),
    hostPorts,
    declaration,
    endpoints: declared.endpoints,
    plan,
  };
}

/**
 * Sets up one service's infrastructure and returns a handle. Every input is validated before anything runs;
 * on failure everything this run created is removed (the cluster too, unless `keep` says otherwise) and the
 * error names the failed step, the command and its stderr.
 */
export async function setupInfrastructure(
  definition: ServiceDefinition,
  options: SetupOptions = {},
): Promise<InfrastructureHandle> {
  const { log, events: givenEvents, signal, env: givenEnv } = options;
  const env = givenEnv ?? process.env;
  const setup = await resolveSetup(definition, options);
  const { options: o, projectRoot, clusterName, kubeconfigPath, keep, coverage, hostPorts, plan } = setup;

  const claim = claimSetupResources(definition.service, clusterName, hostPorts);
  // A caller's toolchain records into the caller's ledger; setup cleans that one up when it is given.
  const ledger = (options.toolchain ? options.ledger : undefined) ?? new RunLedger(log ? { log } : {});
  const events = givenEvents ?? new EventStream();
  let cleaned = false;
  try {
    const { runtime, toolchain } = options.toolchain
      ? { runtime: 'custom' as const, toolchain: options.toolchain }
      : await createToolchain({
          runtime: o.runtime,
          projectRoot,
          ledger,
          coverage,
          env,
          ...(log ? { log } : {}),
          ...(o.realtimeFactor !== undefined ? { realtimeFactor: o.realtimeFactor } : {}),
          ...(o.simWarmCache ? { simWarmCache: true } : {}),
        });
    const real = runtime === 'podman' || runtime === 'docker';
    if (real) {
      await assertHostPortsFree(definition.service, hostPorts);
      mkdirSync(dirname(kubeconfigPath), { recursive: true, mode: 0o700 });
      if (setup.coverageDir) mkdirSync(setup.coverageDir, { recursive: true });
    }
    // kind only takes the cluster's entries out of the kubeconfig on delete; the file is ours to remove. A
    // caller's own toolchain (e.g. the real adapters over a wrapped runner) writes it too: remove it when this
    // run created it, and never a file that was there before.
    const removesKubeconfig = real || !existsSync(kubeconfigPath);
    const result = await runPlan(plan, toolchain, {
      events,
      keep,
      ...(signal ? { signal } : {}),
    });
    if (!result.ok) {
      // The scheduler already applied the keep policy to the cluster; keep the ledger from undoing it.
      cleaned = true;
      await ledger.cleanup(result.clusterKept ? { keepKinds: ['cluster'] } : {});
      if (!result.clusterKept && removesKubeconfig) await rm(kubeconfigPath, { force: true });
      const error = result.error ?? new Error(`setup of ${definition.service} failed`);
      failedTraces.set(error, result.trace);
      throw error;
    }
    // Built images stay as the build cache (their content-hash label makes the next run skip the build);
    // `kubernaut-e2e down` removes them. The cluster belongs to the handle now.
    cleaned = true;
    await ledger.cleanup({ keepKinds: ['image', 'cluster'] });

    let torn: Promise<void> | undefined;
    const teardown = () => {
      torn ??= (async () => {
        try {
          // A cluster that existed before this run (reuseCluster) is left as found, kubeconfig included.
          if (keep !== 'always' && result.outputs.clusterOwned) {
            await toolchain.cluster.delete(clusterName);
            if (removesKubeconfig) await rm(kubeconfigPath, { force: true });
          }
        } finally {
          claim.release();
        }
      })();
      return torn;
    };
    return {
      service: definition.service,
      runtime,
      pattern: o.pattern,
      clusterName,
      kubeconfigPath,
      namespace: KUBERNAUT_NAMESPACE,
      endpoints: setup.endpoints,
      images: result.outputs.images,
      trace: result.trace,
      teardown,
      [Symbol.asyncDispose]: teardown,
    };
  } catch (error) {
    claim.release();
    // Failures before the run (no tools, busy ports) leave temp files only; the run's own path cleaned already.
    if (!cleaned) await ledger.cleanup();
    throw error as KubernautError;
  }
}

function mergeHostPorts(
  definition: ServiceDefinition,
  overrides: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const unknown = Object.keys(overrides ?? {}).filter((k) => !(k in definition.defaultHostPorts));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((k) => ({
        path: `hostPorts.${k}`,
        message: `${definition.service} publishes no port named "${k}"; allowed: ${Object.keys(definition.defaultHostPorts).join(', ')}`,
      })),
      { subject: `${definition.service} setup options` },
    );
  }
  const merged = { ...definition.defaultHostPorts, ...overrides };
  const byPort = new Map<number, string>();
  for (const [name, port] of Object.entries(merged)) {
    const other = byPort.get(port);
    if (other !== undefined) {
      throw ConfigError.field(`hostPorts.${name}`, `host port ${port} is also used by hostPorts.${other}`);
    }
    byPort.set(port, name);
  }
  return merged;
}

function assertWritableParent(path: string): void {
  let dir = dirname(path);
  while (!existsSync(dir)) dir = dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw ConfigError.field(
      'kubeconfigPath',
      `cannot write the kubeconfig at ${path}: ${dir} is not writable; pass a writable kubeconfigPath`,
    );
  }
}
