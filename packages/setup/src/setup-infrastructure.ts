import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { registryContainerdConfigPatch } from '@kubernaut-e2e/cluster';
import {
  ConfigError,
  type ContainerEngine,
  EventStream,
  type KubernautError,
  newRunId,
  parseInput,
  RUN_LABEL,
  RunLedger,
  SERVICE_LABEL,
  StepError,
} from '@kubernaut-e2e/core';
import { recordStepOutput } from '@kubernaut-e2e/deployers';
import {
  type Plan,
  planSetup,
  type RunFailure,
  type RunResult,
  runPlan,
  type ServiceDeclaration,
  type Toolchain,
  type Trace,
} from '@kubernaut-e2e/orchestrator';
import type { z } from 'zod';
import { claimSetupResources } from './claims.js';
import {
  assertRuntimeReachesExistingCluster,
  type ResolvedExistingCluster,
  resolveExistingCluster,
} from './existing-cluster.js';
import type { InfrastructureHandle } from './handle.js';
import { assertHostPortsFree } from './host-ports.js';
import {
  DEFAULT_PATTERN,
  defaultClusterName,
  defaultKubeconfigPath,
  type KeepPolicy,
  keepFromEnvironment,
  type Pattern,
  type SetupOptions,
  setupOptionsSchema,
} from './options.js';
import { removeOrphansOf } from './orphans.js';
import { resolveProjectRoot } from './project-root.js';
import {
  assertToolchainPushes,
  type ResolvedRegistry,
  resolveRegistry,
  withRegistryConfigPatch,
} from './registry-mode.js';
import {
  attachDiagnostics,
  collectRunCoverage,
  defaultOutputDir,
  diagnoseFailure,
  type FailureDiagnostics,
} from './run-reports.js';
import type { Service } from './service/definition.js';
import { prepareSharedClusterRun, type SharedClusterRun } from './shared-cluster-run.js';
import { stepTimeoutsFromEnvironment } from './step-timeouts.js';
import { createToolchain, type ResolvedToolchain } from './toolchain.js';

/** What a failed setup leaves for the one who looks: its trace, its run id, and what it left running. */
export interface FailedSetup {
  readonly runId: string;
  readonly trace: Trace;
  /** What the keep policy left running or on disk, with the command that removes each. */
  readonly leftRunning: readonly LeftRunning[];
}
const failedSetups = new WeakMap<object, FailedSetup>();

/** The failed setup that raised `error` (a step failed or the run was interrupted), if it got that far. */
export function failedSetupOf(error: unknown): FailedSetup | undefined {
  return typeof error === 'object' && error !== null ? failedSetups.get(error) : undefined;
}

/** Something a failed run left running or on disk, and the command that removes it. */
export interface LeftRunning {
  readonly kind: 'cluster' | 'kubeconfig' | 'ca-file' | 'namespace';
  readonly name: string;
  readonly remove: string;
}

/** The trace of a setup that failed with `error` (to show where the time went up to the failure). */
export function traceOfFailedSetup(error: unknown): Trace | undefined {
  return failedSetupOf(error)?.trace;
}

/** Everything kubernaut deploys goes here unless the service names its own namespace (the seed's namespace). */
export const KUBERNAUT_NAMESPACE = 'kubernaut-system';

/** A service's setup resolved from its options: what would run, before anything runs. */
export interface ResolvedSetup {
  readonly options: z.output<typeof setupOptionsSchema>;
  readonly service: string;
  /** The options' pattern, else the service's own, else `dag`. */
  readonly pattern: Pattern;
  readonly projectRoot: string;
  readonly clusterName: string;
  readonly kubeconfigPath: string;
  readonly keep: KeepPolicy;
  readonly coverage: boolean;
  /**
   * Host directory mounted at `/coverdata`: with coverage on, `E2E_COVERDIR`, else the service's kind config's own
   * mount, else `<projectRoot>/coverdata/<service>`; with coverage off, the kind config's own mount if it has one.
   * `setupInfrastructure` creates it on the podman and docker runtimes before kind starts (kind refuses a mount
   * whose host directory does not exist); with a toolchain of your own, create it yourself.
   */
  readonly coverageDir?: string;
  /** Namespace everything is deployed into: the service's own, else `kubernaut-system`. */
  readonly namespace: string;
  readonly hostPorts: Readonly<Record<string, number>>;
  readonly declaration: ServiceDeclaration;
  readonly endpoints: Readonly<Record<string, string>>;
  /** What the declaration did with the cluster configuration, for `plan`. */
  readonly notes: readonly string[];
  /** The validated step graph of the chosen pattern. */
  readonly plan: Plan;
  /** Registry mode: where images are pushed and how nodes reach the registry. */
  readonly registry?: ResolvedRegistry;
  /**
   * This run's one id (`20261202T083319Z-d25c1a2b`, the run ledger's): the ledger file `status` lists, the label on
   * its images and on its namespace on an existing cluster (whose name it ends), its diagnostics and coverage folders.
   */
  readonly runId: string;
  /** `cluster.existing`: the shared cluster's kubeconfig and context; `namespace` is then `<service>-<run id>`. */
  readonly existingCluster?: ResolvedExistingCluster;
  /** The run's CA: written beside the kubeconfig as `inter-service-ca.pem`, where kubernaut's suites read it. */
  readonly ca?: { readonly pem: string; readonly file: string };
}

/**
 * Validates the options and declares and plans the service's setup: pure except for reading the project's CRD
 * files and kind config. Every bad input surfaces here as a `ConfigError` (or `PlanError`), before anything runs.
 */
export async function resolveSetup(definition: Service, options: SetupOptions = {}): Promise<ResolvedSetup> {
  const {
    log: _log,
    events: _events,
    signal: _signal,
    env: givenEnv,
    toolchain,
    ledger: givenLedger,
    ...data
  } = options;
  const env = givenEnv ?? process.env;
  const o = parseInput(setupOptionsSchema, data, `${definition.name} setup options`);
  // A caller's toolchain records into the caller's ledger (see setupInfrastructure): that ledger's id is the run's.
  const runId = (toolchain ? givenLedger?.runId : undefined) ?? newRunId();
  // Checked first: an existing cluster decides the namespace and the kubeconfig file this run writes.
  const existingCluster = resolveExistingCluster(o, resolveRegistry(o.registry), definition.name, runId, env);
  const projectRoot = resolveProjectRoot(o.projectRoot, env);
  const { clusterName, kubeconfigPath } = clusterFiles(definition, o, env, existingCluster?.namespace);
  const pattern = o.pattern ?? definition.pattern ?? DEFAULT_PATTERN;
  const keep = o.keep ?? keepFromEnvironment(env) ?? 'never';
  const coverage = o.coverage ?? env.E2E_COVERAGE === 'true';
  const hostPorts = mergeHostPorts(definition, o.hostPorts);
  if (o.runtime !== 'sim') assertWritableParent(kubeconfigPath);

  const namespace = existingCluster?.namespace ?? definition.namespace ?? KUBERNAUT_NAMESPACE;

  // Coverage-instrumented binaries write to /coverdata in the node; kind mounts this host directory there.
  const coverageDirGiven = coverage && env.E2E_COVERDIR !== undefined && env.E2E_COVERDIR !== '';
  const defaultCoverageDir = coverage
    ? resolve(coverageDirGiven ? env.E2E_COVERDIR! : join(projectRoot, 'coverdata', definition.name))
    : undefined;
  const declared = await definition.declare({
    projectRoot,
    clusterName,
    kubeconfigPath,
    coverage,
    hostPorts,
    consumer: `${definition.name}-e2e`,
    namespace,
    ...(defaultCoverageDir ? { coverageDir: defaultCoverageDir, coverageDirGiven } : {}),
    // An existing cluster has no kind config: the setup's own port mappings say which host port serves which node port.
    ...(existingCluster
      ? { kindConfig: false as const }
      : o.kindConfig !== undefined
        ? { kindConfig: o.kindConfig }
        : {}),
  });
  // A repository's kind config that mounts /coverdata itself decides where it is (unless E2E_COVERDIR says).
  const coverageDir = declared.coverageDir ?? defaultCoverageDir;
  const registry = resolveRegistry(o.registry);
  const clusterConfig = registry
    ? withRegistryConfigPatch(declared.declaration.cluster.config, registryContainerdConfigPatch())
    : declared.declaration.cluster.config;
  const declaration: ServiceDeclaration = {
    ...declared.declaration,
    cluster: {
      ...declared.declaration.cluster,
      ...(clusterConfig === undefined ? {} : { config: clusterConfig }),
      ifExists: o.reuseCluster || existingCluster ? 'reuse' : 'fail',
    },
    ...(existingCluster
      ? {
          namespace: {
            ...declared.declaration.namespace,
            labels: {
              ...declared.declaration.namespace.labels,
              [RUN_LABEL]: runId,
              [SERVICE_LABEL]: definition.name,
            },
          },
        }
      : {}),
  };
  // Planning validates the graph (cycles, dangling dependencies, undeclared images). In registry mode a load is a
  // push that needs only its build, so it overlaps cluster creation.
  const plan = planSetup(declaration, {
    pattern,
    ...(registry ? { imageDelivery: 'registry' as const } : {}),
  });
  return {
    options: o,
    service: definition.name,
    pattern,
    projectRoot,
    clusterName,
    kubeconfigPath,
    keep,
    coverage,
    ...(coverageDir ? { coverageDir } : {}),
    namespace,
    hostPorts,
    declaration,
    endpoints: declared.endpoints,
    ...(declared.ca ? { ca: declared.ca } : {}),
    notes: declared.notes ?? [],
    plan,
    ...(registry ? { registry } : {}),
    runId,
    ...(existingCluster ? { existingCluster } : {}),
  };
}

/**
 * Sets up one service's infrastructure and returns a handle. Every input is validated before anything runs;
 * on failure everything this run created is removed (the cluster too, unless `keep` says otherwise) and the
 * error names the failed step, the command and its stderr.
 */
export async function setupInfrastructure<E extends string>(
  definition: Service<E>,
  options: SetupOptions = {},
  /** The same options already resolved (`plan` shows what it resolved, then runs it): skips declaring twice. */
  resolved?: ResolvedSetup,
): Promise<InfrastructureHandle<E>> {
  const env = options.env ?? process.env;
  const setup = resolved ?? (await resolveSetup(definition, options));
  // Read before anything runs: a malformed value is bad input, not a failed step.
  const stepTimeoutMs = options.stepTimeoutMs ?? stepTimeoutsFromEnvironment(env);

  const { existingCluster, clusterName, hostPorts } = setup;
  if (!options.toolchain)
    assertRuntimeReachesExistingCluster(existingCluster, setup.options.runtime, definition.name);
  // Runs on a shared cluster never share a namespace: they claim that, not the cluster.
  const claim = claimSetupResources(
    definition.name,
    existingCluster ? `${clusterName}/${setup.namespace}` : clusterName,
    hostPorts,
  );
  const ledger = await openRunLedger(definition.name, setup, options, env);
  const events = options.events ?? new EventStream();
  let cleaned = false;
  try {
    const resolvedToolchain = options.toolchain
      ? { runtime: 'custom' as const, toolchain: options.toolchain }
      : await createRunToolchain(setup, ledger, env, options.log);
    const { runtime, toolchain } = resolvedToolchain;
    assertToolchainPushes(toolchain, setup.registry);
    const shared = existingCluster
      ? await prepareSharedClusterRun(resolvedToolchain.toolchain, {
          namespace: setup.namespace,
          clusterConfig: setup.declaration.cluster.config,
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : undefined;
    const real = runtime === 'podman' || runtime === 'docker';
    const removeRunFiles = await prepareRunFiles(definition.name, setup, real);
    const outputDir = resolve(
      setup.options.outputDir ?? defaultOutputDir(definition.name, process.cwd(), env),
    );
    const run: SetupRun = {
      definition,
      setup,
      options,
      ledger,
      toolchain,
      shared,
      removeRunFiles,
      outputDir,
    };
    const { result, diagnostics } = await runSetupPlan(run, events, stepTimeoutMs);
    if (!result.ok) {
      // The scheduler already applied the keep policy to the cluster; keep the ledger from undoing it.
      cleaned = true;
      throw await failedRun(run, result, diagnostics);
    }
    // Built images stay as the build cache (their content-hash label makes the next run skip the build);
    // `kubernaut-e2e down` removes them. The cluster belongs to the handle now.
    cleaned = true;
    await ledger.cleanup({ keepKinds: ['image', 'cluster'] });

    return handleOf<E>(run, result, {
      runtime,
      engine: kindNodeEngine(resolvedToolchain),
      release: () => claim.release(),
    });
  } catch (error) {
    claim.release();
    // Failures before the run (no tools, busy ports) leave temp files only; the run's own path cleaned already.
    if (!cleaned) await ledger.cleanup();
    throw error as KubernautError;
  }
}

/** The handle of a setup that succeeded: where everything is, and the teardown that keeps the keep policy. */
function handleOf<E extends string>(
  run: SetupRun,
  result: RunResult,
  parts: {
    readonly runtime: InfrastructureHandle<E>['runtime'];
    readonly engine: ContainerEngine | undefined;
    readonly release: () => void;
  },
): InfrastructureHandle<E> {
  const { definition, setup, outputDir, toolchain, shared } = run;
  const { runId, kubeconfigPath, ca, coverage, clusterName, existingCluster } = setup;
  const coverageReportDir = join(outputDir, 'coverage', runId);
  const teardown = teardownOf(run, {
    engine: parts.engine,
    coverageReportDir,
    clusterOwned: result.outputs.clusterOwned,
    release: parts.release,
  });
  return {
    service: definition.name,
    runtime: parts.runtime,
    pattern: setup.pattern,
    clusterName,
    kubeconfigPath,
    ...(ca ? { caFile: ca.file } : {}),
    namespace: setup.namespace,
    endpoints: setup.endpoints as Readonly<Record<E, string>>,
    images: result.outputs.images,
    trace: result.trace,
    runId,
    outputDir,
    ...(coverage ? { coverageReportDir } : {}),
    // On a shared cluster the run's manifests lose their node ports and its endpoints are port-forwards.
    toolchain: shared?.toolchain ?? toolchain,
    ...(shared && existingCluster
      ? { existingCluster: { context: existingCluster.context, closeEndpoints: shared.closeForwards } }
      : {}),
    detach: parts.release,
    teardown,
    [Symbol.asyncDispose]: teardown,
  };
}

/** What the parts of one setup share once its toolchain exists. */
interface SetupRun {
  readonly definition: Service;
  readonly setup: ResolvedSetup;
  readonly options: SetupOptions;
  readonly ledger: RunLedger;
  readonly toolchain: Toolchain;
  /** Present on an existing (shared) cluster: the run's namespace and port-forwards there. */
  readonly shared: SharedClusterRun | undefined;
  /** Removes the kubeconfig (when this run made it) and the CA file. */
  readonly removeRunFiles: () => Promise<void>;
  readonly outputDir: string;
}

/**
 * The run's ledger. A caller's toolchain records into the caller's ledger; setup cleans that one up when it is given.
 * A real run's ledger is kept on disk too, so what a killed run created is still found and removed later
 * (`kubernaut-e2e status`, `down`, and the next setup of the same service) — and this run first removes what such
 * runs of the same service left.
 */
async function openRunLedger(
  service: string,
  setup: ResolvedSetup,
  options: SetupOptions,
  env: NodeJS.ProcessEnv,
): Promise<RunLedger> {
  const { log } = options;
  const persist = options.toolchain === undefined && setup.options.runtime !== 'sim';
  if (persist) await removeOrphansOf(service, setup.options.runtime, env, log);
  return (
    (options.toolchain ? options.ledger : undefined) ??
    new RunLedger({
      runId: setup.runId,
      ...(log ? { log } : {}),
      ...(persist ? { persist: { service, env } } : {}),
    })
  );
}

/** The toolchain of the setup's runtime, recording into `ledger`. */
function createRunToolchain(
  setup: ResolvedSetup,
  ledger: RunLedger,
  env: NodeJS.ProcessEnv,
  log: SetupOptions['log'],
): Promise<ResolvedToolchain> {
  const { options: o, existingCluster } = setup;
  return createToolchain({
    runtime: o.runtime,
    projectRoot: setup.projectRoot,
    ledger,
    coverage: setup.coverage,
    env,
    ...(log ? { log } : {}),
    ...(o.realtimeFactor !== undefined ? { realtimeFactor: o.realtimeFactor } : {}),
    ...(o.simWarmCache ? { simWarmCache: true } : {}),
    ...(setup.registry ? { registry: setup.registry } : {}),
    ...(o.build ? { build: o.build } : {}),
    ...(existingCluster
      ? { existingCluster: { context: existingCluster.context, kubeconfig: existingCluster.kubeconfig } }
      : {}),
  });
}

/** The engine that runs the kind nodes (coverage is copied out of them at teardown); none for a caller's toolchain. */
function kindNodeEngine(
  resolved: ResolvedToolchain | { readonly runtime: 'custom'; readonly toolchain: Toolchain },
): ContainerEngine | undefined {
  if ('engine' in resolved && resolved.engine) return resolved.engine;
  return 'sim' in resolved && resolved.sim ? resolved.sim.engine : undefined;
}

/**
 * Before the run: on a real runtime the host ports must be free and the kubeconfig's and coverage's directories
 * exist; the run's CA is written where the suites read it (every runtime: a Go suite on the simulated toolchain
 * reads it too). Returns what removes the run's files again.
 */
async function prepareRunFiles(
  service: string,
  setup: ResolvedSetup,
  real: boolean,
): Promise<() => Promise<void>> {
  const { kubeconfigPath, ca } = setup;
  if (real) {
    await assertHostPortsFree(service, setup.hostPorts);
    mkdirSync(dirname(kubeconfigPath), { recursive: true, mode: 0o700 });
    if (setup.coverageDir) mkdirSync(setup.coverageDir, { recursive: true });
  }
  // kind only takes the cluster's entries out of the kubeconfig on delete; the file is ours to remove. A
  // caller's own toolchain (e.g. the real adapters over a wrapped runner) writes it too: remove it when this
  // run created it, and never a file that was there before.
  const removesKubeconfig = real || !existsSync(kubeconfigPath);
  if (ca) {
    mkdirSync(dirname(ca.file), { recursive: true, mode: 0o700 });
    writeFileSync(ca.file, ca.pem, { mode: 0o600 });
  }
  return async () => {
    if (removesKubeconfig) await rm(kubeconfigPath, { force: true });
    if (ca) await rm(ca.file, { force: true });
  };
}

/** Runs the plan; on a failure, while the failed run's cluster still exists, writes what explains it. */
async function runSetupPlan(
  run: SetupRun,
  events: EventStream,
  stepTimeoutMs: SetupOptions['stepTimeoutMs'],
): Promise<{ result: RunResult; diagnostics: FailureDiagnostics | undefined }> {
  const { setup, options, toolchain, shared } = run;
  const { signal, log } = options;
  const o = setup.options;
  const output = recordStepOutput(events);
  let diagnostics: FailureDiagnostics | undefined;
  const diagnosticsDir = join(run.outputDir, 'diagnostics', setup.runId);
  const result = await runPlan(setup.plan, shared?.toolchain ?? toolchain, {
    events,
    keep: setup.keep,
    ...(signal ? { signal } : {}),
    ...(stepTimeoutMs ? { stepTimeoutMs } : {}),
    ...(o.failAfterRestarts === undefined ? {} : { podWatch: { failAfterRestarts: o.failAfterRestarts } }),
    // The scheduler's finalizer deletes a failed run's cluster and tells the ledger, so nothing deletes it twice;
    // the ledger is cleaned by the caller, by the keep policy's rules.
    ledger: run.ledger,
    cleanupLedger: false,
    // kind's logs; a shared cluster's are not this run's to dump (the namespace's pods and events still are).
    ...(o.diagnostics && !shared ? { logsDir: join(diagnosticsDir, 'kind-logs') } : {}),
    // While the failed run's cluster still exists: what explains the failure, into the diagnostics directory.
    ...(o.diagnostics
      ? {
          onFailure: async (failure: RunFailure) => {
            diagnostics = await diagnoseFailure({
              failure,
              dir: diagnosticsDir,
              namespace: setup.namespace,
              plan: setup.plan,
              kube: toolchain.kube,
              output,
            });
            for (const line of diagnostics.lines)
              log?.({ source: 'diagnostics', stream: 'stderr', text: line, at: toolchain.clock.now() });
          },
        }
      : {}),
  }).finally(() => output.stop());
  return { result, diagnostics };
}

/**
 * After a failed run: cleans the ledger by the keep policy (the scheduler already applied it to the cluster), removes
 * a shared cluster's namespace unless kept, and returns the error to throw, with what was left running recorded
 * (`failedSetupOf`) and the diagnostics attached.
 */
async function failedRun(
  run: SetupRun,
  result: RunResult,
  diagnostics: FailureDiagnostics | undefined,
): Promise<KubernautError> {
  const { definition, setup, shared, toolchain } = run;
  const { keep, clusterName, kubeconfigPath, ca, existingCluster } = setup;
  const { log } = run.options;
  await run.ledger.cleanup(result.clusterKept ? { keepKinds: ['cluster'] } : {});
  if (!result.clusterKept) await run.removeRunFiles();
  // A failed run on a shared cluster removes its namespace (unless kept to debug it), and nothing else.
  if (shared) {
    await shared.closeForwards();
    if (keep === 'never')
      await shared.cleanup().catch((e: unknown) =>
        log?.({
          source: 'cleanup',
          stream: 'stderr',
          text: `could not delete namespace ${setup.namespace}: ${(e as Error).message}; kubectl --context ${existingCluster!.context} delete namespace ${setup.namespace}`,
          at: toolchain.clock.now(),
        }),
      );
  }
  const error = result.error ?? new StepError('setup', `setup of ${definition.name} failed`);
  const down = `kubernaut-e2e down ${definition.name}`;
  const leftRunning: LeftRunning[] = shared
    ? keep === 'never'
      ? []
      : [
          {
            kind: 'namespace',
            name: setup.namespace,
            remove: `kubectl --context ${existingCluster!.context} delete namespace ${setup.namespace}`,
          },
        ]
    : result.clusterKept
      ? [
          { kind: 'cluster', name: clusterName, remove: down },
          { kind: 'kubeconfig', name: kubeconfigPath, remove: down },
          ...(ca ? [{ kind: 'ca-file' as const, name: ca.file, remove: down }] : []),
        ]
      : [];
  failedSetups.set(error, { runId: setup.runId, trace: result.trace, leftRunning });
  if (diagnostics) attachDiagnostics(error, diagnostics);
  return error;
}

/**
 * The handle's teardown, run once however often it is called: coverage first (the instrumented binaries write their
 * counters when scaled to 0), then a shared cluster's namespace or the run's own cluster, by the keep policy.
 */
function teardownOf(
  run: SetupRun,
  parts: {
    readonly engine: ContainerEngine | undefined;
    readonly coverageReportDir: string;
    /** False for a cluster that existed before this run (reuseCluster): it is left as found, kubeconfig included. */
    readonly clusterOwned: boolean;
    readonly release: () => void;
  },
): () => Promise<void> {
  const { setup, shared, toolchain } = run;
  const { keep, kubeconfigPath } = setup;
  const { log } = run.options;
  let torn: Promise<void> | undefined;
  return () => {
    torn ??= (async () => {
      try {
        if (setup.coverage && parts.engine && !shared) {
          const { lines } = await collectRunCoverage({
            kube: toolchain.kube(kubeconfigPath),
            engine: parts.engine,
            namespace: setup.namespace,
            dir: parts.coverageReportDir,
            projectRoot: setup.projectRoot,
          });
          for (const line of lines)
            log?.({ source: 'coverage', stream: 'info', text: line, at: toolchain.clock.now() });
        }
        // A shared cluster stays; the run's namespace and its own cluster-scoped objects go (unless kept).
        if (shared) {
          await shared.closeForwards();
          if (keep !== 'always') {
            await shared.cleanup();
            await run.removeRunFiles();
          }
        }
        if (keep !== 'always' && parts.clusterOwned) {
          await toolchain.cluster.delete(setup.clusterName);
          await run.removeRunFiles();
        }
      } finally {
        parts.release();
      }
    })();
    return torn;
  };
}

function mergeHostPorts(
  definition: Service,
  overrides: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const unknown = Object.keys(overrides ?? {}).filter((k) => !(k in definition.hostPorts));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((k) => ({
        path: `hostPorts.${k}`,
        message: `${definition.name} publishes no port named "${k}"; allowed: ${Object.keys(definition.hostPorts).join(', ')}`,
      })),
      { subject: `${definition.name} setup options` },
    );
  }
  const merged = { ...definition.hostPorts, ...overrides };
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

/**
 * The cluster a run of the service uses and the kubeconfig it writes: the caller's names, else the service's own (the
 * names its suite's code looks for), else `<service>-e2e` and `~/.kube/kubernaut-e2e/<cluster>.kubeconfig`. On a
 * shared cluster (`sharedNamespace`) each run writes its own one-context kubeconfig, named after its namespace. The
 * run's CA goes beside the kubeconfig (`inter-service-ca.pem`). `down` finds them the same way.
 */
export function clusterFiles(
  service: Pick<Service, 'name' | 'cluster'>,
  options: { readonly clusterName?: string; readonly kubeconfigPath?: string },
  env: NodeJS.ProcessEnv,
  sharedNamespace?: string,
): { clusterName: string; kubeconfigPath: string; caFile: string } {
  const clusterName = options.clusterName ?? service.cluster?.name ?? defaultClusterName(service.name);
  const own = service.cluster?.kubeconfig;
  const kubeconfigPath = resolve(
    options.kubeconfigPath ??
      (sharedNamespace !== undefined
        ? defaultKubeconfigPath(sharedNamespace)
        : own !== undefined && options.clusterName === undefined
          ? expandHome(own, env)
          : defaultKubeconfigPath(clusterName)),
  );
  return { clusterName, kubeconfigPath, caFile: join(dirname(kubeconfigPath), 'inter-service-ca.pem') };
}

/** `~/…` is the home directory (`HOME`), as the suites' `~/.kube/<name>-e2e-config`. */
function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  return path === '~' || path.startsWith('~/') ? join(env.HOME ?? homedir(), path.slice(2)) : path;
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
