import type { Toolchain } from '@kubernaut-e2e/core';
import { KubernautError } from '@kubernaut-e2e/core';
import type { ServiceDeclaration } from '../declaration.js';
import { buildSlotsBound, criticalPath } from '../plan/critical-path.js';
import { planSetup } from '../plan/plan-setup.js';
import { PATTERNS, type Pattern } from '../plan/types.js';
import type { RunPlanOptions } from '../scheduler/options.js';
import { DEFAULT_LIMITS, runPlan } from '../scheduler/run-plan.js';
import type { Trace } from '../trace/types.js';

/**
 * - `cold`: nothing cached, no cluster.
 * - `warm-fresh-cluster`: the toolchain's build cache is warm (pass a toolchain that says so), no cluster.
 * - `warm-reused-cluster`: warm cache and the cluster of an earlier `up` still running: the benchmark first
 *   runs the same setup once on the toolchain (unmeasured), then measures a second run with
 *   `cluster.ifExists: 'reuse'`.
 */
export type BenchScenario = 'cold' | 'warm-fresh-cluster' | 'warm-reused-cluster';
export const BENCH_SCENARIOS: readonly BenchScenario[] = [
  'cold',
  'warm-fresh-cluster',
  'warm-reused-cluster',
];

export interface BenchRow {
  readonly pattern: Pattern;
  readonly scenario: BenchScenario;
  readonly makespanMs: number;
  /**
   * Longest dependency chain of this pattern's plan when each step takes the shortest time it took
   * in any pattern's run of the same scenario: what no scheduler could beat with these edges.
   */
  readonly criticalPathMs: number;
  /**
   * What no schedule could beat with these edges AND the run's build slots: the critical path, or, when builds
   * outnumber the slots (fullpipeline's 14 images over 4), the build work spread over the slots plus what must follow.
   */
  readonly boundMs: number;
  readonly trace: Trace;
}

export interface BenchRatios {
  /** Cold dag makespan over cold standard (target ≤ 0.75). */
  readonly dagVsStandard?: number;
  /** Cold dag over cold hybrid (target ≤ 0.80). */
  readonly dagVsHybrid?: number;
  /** Cold dag over its critical-path bound (target ≤ 1.03). */
  readonly dagVsBound?: number;
  /** Warm dag with a fresh cluster over its own critical-path bound (target ≤ 1.03). */
  readonly warmFreshVsBound?: number;
  /** Warm dag with a fresh cluster over cold standard (target ≤ 0.30). */
  readonly warmFreshVsColdStandard?: number;
  /** Warm dag with a reused cluster over cold standard (target ≤ 0.20). */
  readonly warmReusedVsColdStandard?: number;
}

export interface BenchReport {
  readonly service: string;
  readonly rows: readonly BenchRow[];
  readonly ratios: BenchRatios;
}

export interface BenchOptions {
  readonly scenarios?: readonly BenchScenario[];
  readonly patterns?: readonly Pattern[];
  /** Passed to every run (limits, retries…); `signal` cancels the benchmark. */
  readonly runOptions?: RunPlanOptions;
}

/** A run of the benchmark failed; `cause` is the run's `StepError`. */
export class BenchRunError extends KubernautError {
  readonly code = 'KE_STEP' as const;
}

/**
 * Runs the declaration's setup under every pattern and scenario, each on a fresh toolchain from
 * `makeToolchain(scenario)`, and compares makespans. The third argument is the list of scenarios, or
 * options (scenarios, patterns, run options). Generic: on the simulator the figures are
 * predictions of the model; on real tools they are measurements.
 */
export async function benchmarkPatterns(
  declaration: ServiceDeclaration,
  makeToolchain: (scenario: BenchScenario) => Toolchain,
  scenariosOrOptions: readonly BenchScenario[] | BenchOptions = {},
): Promise<BenchReport> {
  const options: BenchOptions = Array.isArray(scenariosOrOptions)
    ? { scenarios: scenariosOrOptions }
    : (scenariosOrOptions as BenchOptions);
  const scenarios = options.scenarios ?? BENCH_SCENARIOS;
  const patterns = options.patterns ?? PATTERNS;
  const rows: BenchRow[] = [];
  for (const scenario of scenarios) {
    const runs: { pattern: Pattern; trace: Trace; plan: ReturnType<typeof planSetup> }[] = [];
    for (const pattern of patterns) {
      const toolchain = makeToolchain(scenario);
      let measured = declaration;
      if (scenario === 'warm-reused-cluster') {
        await runOnce(
          planSetup(declaration, { pattern }),
          toolchain,
          options,
          `${pattern}/${scenario} (priming run)`,
        );
        measured = { ...declaration, cluster: { ...declaration.cluster, ifExists: 'reuse' } };
      }
      const plan = planSetup(measured, { pattern });
      const trace = await runOnce(plan, toolchain, options, `${pattern}/${scenario}`);
      runs.push({ pattern, trace, plan });
    }
    // Shortest observed duration per step across the patterns of this scenario.
    const shortest = new Map<string, number>();
    for (const { trace } of runs) {
      for (const step of trace.steps) {
        if (step.start === undefined || step.end === undefined) continue;
        const d = step.end - step.start;
        shortest.set(step.id, Math.min(d, shortest.get(step.id) ?? Number.POSITIVE_INFINITY));
      }
    }
    for (const { pattern, trace, plan } of runs) {
      const durations = (step: { id: string }) => shortest.get(step.id) ?? 0;
      const path = criticalPath(plan, durations).lengthMs;
      const slots = options.runOptions?.limits?.build ?? DEFAULT_LIMITS.build;
      const boundMs = Math.max(path, buildSlotsBound(plan, durations, slots));
      rows.push({ pattern, scenario, makespanMs: trace.makespanMs, criticalPathMs: path, boundMs, trace });
    }
  }
  return { service: declaration.service, rows, ratios: ratiosOf(rows) };
}

async function runOnce(
  plan: ReturnType<typeof planSetup>,
  toolchain: Toolchain,
  options: BenchOptions,
  what: string,
): Promise<Trace> {
  const result = await runPlan(plan, toolchain, options.runOptions);
  if (!result.ok) {
    throw new BenchRunError(`benchmark run ${what} failed: ${result.error?.message ?? 'unknown error'}`, {
      cause: result.error,
    });
  }
  return result.trace;
}

function ratiosOf(rows: readonly BenchRow[]): BenchRatios {
  const find = (pattern: Pattern, scenario: BenchScenario) =>
    rows.find((r) => r.pattern === pattern && r.scenario === scenario);
  const ratio = (a?: number, b?: number) =>
    a === undefined || b === undefined || b === 0 ? undefined : a / b;
  const dag = find('dag', 'cold');
  const standard = find('standard', 'cold');
  const entries: [keyof BenchRatios, number | undefined][] = [
    ['dagVsStandard', ratio(dag?.makespanMs, standard?.makespanMs)],
    ['dagVsHybrid', ratio(dag?.makespanMs, find('hybrid', 'cold')?.makespanMs)],
    ['dagVsBound', ratio(dag?.makespanMs, dag?.boundMs)],
    [
      'warmFreshVsBound',
      ratio(find('dag', 'warm-fresh-cluster')?.makespanMs, find('dag', 'warm-fresh-cluster')?.boundMs),
    ],
    ['warmFreshVsColdStandard', ratio(find('dag', 'warm-fresh-cluster')?.makespanMs, standard?.makespanMs)],
    ['warmReusedVsColdStandard', ratio(find('dag', 'warm-reused-cluster')?.makespanMs, standard?.makespanMs)],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as BenchRatios;
}

/** Targets of issue 5, for printing next to the ratios. */
export const BENCH_TARGETS: Readonly<Record<keyof BenchRatios, number>> = {
  dagVsStandard: 0.75,
  dagVsHybrid: 0.8,
  dagVsBound: 1.03,
  warmFreshVsBound: 1.03,
  warmFreshVsColdStandard: 0.3,
  warmReusedVsColdStandard: 0.2,
};
