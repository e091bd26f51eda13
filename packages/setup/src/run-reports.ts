import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import {
  type ClusterProvider,
  type CommandRunner,
  type ContainerEngine,
  createCommandRunner,
  type KubeClient,
} from '@kubernaut-e2e/core';
import {
  type CoverageReport,
  collectCoverage,
  type DiagnosticsReport,
  formatCoverage,
  formatDiagnostics,
  gatherDiagnostics,
  type StepOutputRecorder,
} from '@kubernaut-e2e/deployers';
import type { Plan, RunFailure } from '@kubernaut-e2e/orchestrator';

/**
 * Where a service's run outputs (traces, timelines, diagnostics, coverage) go by default: outside the project, so no
 * image's build context sees them — kubernaut's Dockerfiles `COPY . .` from the repository root, and a file that
 * changes there changes every image. `$XDG_STATE_HOME/kubernaut-e2e/runs/<project>-<hash>/<service>/` (state home
 * `~/.local/state` when unset), one folder per working directory. Diagnostics and coverage of each run go to their
 * own `<run id>` directory below it, so a second run never overwrites the first.
 */
export function defaultOutputDir(
  service: string,
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  const project = `${basename(cwd) || 'root'}-${createHash('sha256').update(cwd).digest('hex').slice(0, 8)}`;
  return join(state, 'kubernaut-e2e', 'runs', project, service);
}

/** What a failed setup found out, for the message and the HTML timeline. */
export interface FailureDiagnostics {
  /** What was collected; absent for an interrupted run (nothing is collected when the user wants out). */
  readonly report?: DiagnosticsReport;
  /** The lines a run prints: the directory and the causes recognised. */
  readonly lines: readonly string[];
  /** The failed step's stderr, by step id (the timeline shows its tail). */
  readonly stderrTails: Readonly<Record<string, readonly string[]>>;
}

const diagnosedErrors = new WeakMap<object, FailureDiagnostics>();

/** The diagnostics a failed setup collected for `error`, if any. */
export function diagnosticsOfFailedSetup(error: unknown): FailureDiagnostics | undefined {
  return typeof error === 'object' && error !== null ? diagnosedErrors.get(error) : undefined;
}

export function attachDiagnostics(error: unknown, diagnostics: FailureDiagnostics): void {
  if (typeof error === 'object' && error !== null) diagnosedErrors.set(error, diagnostics);
}

/**
 * The run's `onFailure`: while the cluster is still there, collect pods, events, describes, logs, node
 * conditions, kind's logs, the failed step's full output, the plan and the trace into `dir`, and diagnose them
 * (within the diagnostics deadline, each kubectl with `--request-timeout`). An interrupted run collects nothing: only
 * what its stopped steps printed last, from memory.
 */
export async function diagnoseFailure(options: {
  readonly failure: RunFailure;
  readonly dir: string;
  readonly namespace: string;
  readonly plan: Plan;
  readonly kube: (kubeconfigPath: string) => KubeClient;
  readonly output: StepOutputRecorder;
}): Promise<FailureDiagnostics> {
  const { failure, dir, output } = options;
  const failed = failure.trace.steps.find((s) => s.outcome === 'failed');
  const failedOutput = failed ? output.linesOf(failed.id) : [];
  // Interrupted: the steps it stopped and what they printed last (from memory), but nothing asked of the cluster.
  const report = failure.interrupted
    ? undefined
    : await gatherDiagnostics({
        kube: options.kube(failure.cluster?.kubeconfigPath ?? ''),
        namespace: options.namespace,
        dir,
        // kind's logs: the scheduler's log-export finalizer writes them into `<dir>/kind-logs` right after this.
        ...(failed
          ? { failedStep: { id: failed.id, kind: failed.kind, error: failure.error, output: failedOutput } }
          : {}),
        plan: options.plan,
        trace: failure.trace,
      });
  // An interrupted run has no failed step: the steps that were running when it was cancelled are what it stopped.
  const stopped = failed
    ? [failed]
    : failure.trace.steps.filter((s) => s.outcome === 'cancelled' && s.start !== undefined);
  return {
    ...(report ? { report } : {}),
    lines: report ? formatDiagnostics(report) : [],
    stderrTails: Object.fromEntries(
      stopped.map((step) => [
        step.id,
        output
          .linesOf(step.id)
          .filter((l) => l.stream === 'stderr')
          .map((l) => l.text),
      ]),
    ),
  };
}

/**
 * Coverage at teardown: scale the instrumented deployments to 0 so the Go binaries write their counters, wait
 * for their pods to go, copy `/coverdata` out of every node, and report with `go tool covdata` where a Go ≥ 1.20
 * is on PATH (else the commands to run).
 */
export async function collectRunCoverage(options: {
  readonly kube: KubeClient;
  readonly engine: ContainerEngine;
  readonly namespace: string;
  readonly dir: string;
  readonly projectRoot: string;
  readonly runner?: CommandRunner;
}): Promise<{ readonly report: CoverageReport; readonly lines: readonly string[] }> {
  const report = await collectCoverage({
    kube: options.kube,
    engine: options.engine,
    runner: options.runner ?? createCommandRunner(),
    namespace: options.namespace,
    dir: options.dir,
    projectRoot: options.projectRoot,
  });
  return { report, lines: formatCoverage(report) };
}

/**
 * `kubernaut-e2e gather`: the same collection a failed run makes, on a cluster that is still up (kept by
 * `--keep`, or a run in progress), into `dir`.
 */
export async function gatherClusterDiagnostics(options: {
  readonly kube: KubeClient;
  readonly provider: ClusterProvider;
  readonly clusterName: string;
  readonly namespace: string;
  readonly dir: string;
  readonly plan?: Plan;
}): Promise<{ readonly report: DiagnosticsReport; readonly lines: readonly string[] }> {
  const report = await gatherDiagnostics({
    kube: options.kube,
    namespace: options.namespace,
    dir: options.dir,
    cluster: { provider: options.provider, name: options.clusterName },
    ...(options.plan ? { plan: options.plan } : {}),
  });
  return { report, lines: formatDiagnostics(report) };
}
