import {
  type BenchReport,
  type BenchScenario,
  benchmarkFailures,
  benchmarkPatterns,
  type FailureRow,
  failureScenarios,
  formatBenchmark,
  formatFailureBenchmark,
  measureSchedulerOverhead,
} from '@kubernaut-e2e/orchestrator';
import { type LoadedConfig, resolveSetup, type Service } from '@kubernaut-e2e/setup';
import { createSimToolchain, type FaultPlan, PREDICTION_LABEL } from '@kubernaut-e2e/sim';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { setupOptionsFor } from '../setup-options.js';

/** Scheduler overhead target from the orchestrator issue: ≤ 5 ms per step on a 1,000-step graph. */
const OVERHEAD_TARGET_MS_PER_STEP = 5;

/**
 * `bench [service…]`: every pattern × scenario of each service's real declaration on the simulated
 * toolchain (predicted makespans and the ratios against the targets); five failing scenarios per service and
 * pattern (when the failure is reported, waiting for the rollout deadline and failing fast); then the scheduler's own
 * overhead, measured in wall time.
 */
export async function benchCommand(
  args: CliArgs,
  config: LoadedConfig,
  selected: readonly Service[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  // Without names: the gateway (the seed's headline suite) when declared, else the config's first service.
  const services =
    selected.length > 0
      ? selected
      : [config.services.find((s) => s.name === 'gateway') ?? config.services[0]!];
  const reports: BenchReport[] = [];
  const failures: { service: string; rows: FailureRow[] }[] = [];
  for (const definition of services) {
    const service = definition.name;
    const { declaration } = await resolveSetup(definition, {
      ...setupOptionsFor(args, config, service, io.env, io.cwd),
      runtime: 'sim',
    });
    const report = await benchmarkPatterns(
      declaration,
      (scenario: BenchScenario) => createSimToolchain({ cachedImages: scenario === 'cold' ? 'none' : 'all' }),
      { runOptions: { signal, teardownOnSuccess: false } },
    );
    reports.push(report);
    if (!args.json)
      io.stdout(
        `${formatBenchmark(report, `${service}: setup makespan by pattern — ${PREDICTION_LABEL}`)}\n\n`,
      );
    const rows = await benchmarkFailures(
      failureScenarios(declaration),
      (scenario) => createSimToolchain({ faults: scenario.faults as FaultPlan, cachedImages: 'none' }),
      { runOptions: { signal, teardownOnSuccess: false } },
    );
    failures.push({ service, rows });
    if (!args.json)
      io.stdout(
        `${formatFailureBenchmark(rows, `${service}: time from start to the failure being reported (cold), waiting for the deadline vs failing fast — ${PREDICTION_LABEL}`)}\n\n`,
      );
  }
  const overhead = await measureSchedulerOverhead({ steps: 1_000 });
  if (args.json) {
    io.stdout(
      `${JSON.stringify(
        {
          predicted: PREDICTION_LABEL,
          services: reports.map((r) => ({
            service: r.service,
            rows: r.rows.map(({ pattern, scenario, makespanMs, criticalPathMs, boundMs }) => ({
              pattern,
              scenario,
              makespanMs,
              criticalPathMs,
              boundMs,
            })),
            ratios: r.ratios,
          })),
          failures: failures.map(({ service, rows }) => ({
            service,
            rows: rows.map(({ kind, pattern, failedStep, deadlineMs, failFastMs }) => ({
              kind,
              pattern,
              failedStep,
              deadlineMs,
              failFastMs,
            })),
          })),
          schedulerOverhead: { ...overhead, targetMsPerStep: OVERHEAD_TARGET_MS_PER_STEP },
        },
        null,
        2,
      )}\n`,
    );
    return ExitCode.Ok;
  }
  const verdict = overhead.msPerStep <= OVERHEAD_TARGET_MS_PER_STEP ? 'meets' : 'MISSES';
  io.stdout(
    `Scheduler overhead (measured, wall clock): ${overhead.steps} no-op steps in ${overhead.wallMs.toFixed(1)} ms = ${overhead.msPerStep.toFixed(3)} ms/step (target ≤ ${OVERHEAD_TARGET_MS_PER_STEP}: ${verdict})\n`,
  );
  return ExitCode.Ok;
}
