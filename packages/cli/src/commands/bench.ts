import { resolveSetup } from '@kubernaut-e2e/datastorage';
import {
  type BenchReport,
  type BenchScenario,
  benchmarkStrategies,
  formatBenchmark,
  measureSchedulerOverhead,
} from '@kubernaut-e2e/orchestrator';
import { createSimToolchain, PREDICTION_LABEL } from '@kubernaut-e2e/sim';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { SERVICE_DEFINITIONS } from '../services.js';

/** Scheduler overhead target from the orchestrator issue: ≤ 5 ms per step on a 1,000-step graph. */
const OVERHEAD_TARGET_MS_PER_STEP = 5;

/**
 * `bench [service…]`: every strategy × scenario of each service's real declaration on the simulated
 * toolchain (predicted makespans and the ratios against the targets), then the scheduler's own overhead,
 * measured in wall time.
 */
export async function benchCommand(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
  const services = args.services.length > 0 ? args.services : (['gateway'] as const);
  const reports: BenchReport[] = [];
  for (const service of services) {
    const { declaration } = await resolveSetup(SERVICE_DEFINITIONS[service], {
      runtime: 'sim',
      ...(args.projectRoot ? { projectRoot: args.projectRoot } : {}),
      env: io.env,
    });
    const report = await benchmarkStrategies(
      declaration,
      (scenario: BenchScenario) => createSimToolchain({ cachedImages: scenario === 'cold' ? 'none' : 'all' }),
      { runOptions: { signal, teardownOnSuccess: false } },
    );
    reports.push(report);
    if (!args.json)
      io.stdout(
        `${formatBenchmark(report, `${service}: setup makespan by strategy — ${PREDICTION_LABEL}`)}\n\n`,
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
            rows: r.rows.map(({ strategy, scenario, makespanMs, criticalPathMs }) => ({
              strategy,
              scenario,
              makespanMs,
              criticalPathMs,
            })),
            ratios: r.ratios,
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
