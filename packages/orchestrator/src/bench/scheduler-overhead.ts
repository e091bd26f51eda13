import type { Toolchain } from '@kubernaut-e2e/core';
import { type Clock, realClock } from '@kubernaut-e2e/core';
import type { BuildStep, Plan } from '../plan/types.js';
import { runPlan } from '../scheduler/run-plan.js';

export interface OverheadReport {
  readonly steps: number;
  readonly wallMs: number;
  /** Scheduler time per step with handlers that do nothing (target ≤ 5 ms). */
  readonly msPerStep: number;
}

/**
 * A synthetic graph: `count` steps, each depending on up to two earlier ones (a deterministic mix of
 * short and long edges), so the scheduler sees wide layers and long chains.
 */
export function syntheticPlan(count: number): Plan {
  const steps: BuildStep[] = [];
  for (let i = 0; i < count; i++) {
    const deps = new Set<string>();
    const near = i - 1 - (i % 7);
    if (near >= 0 && i % 5 !== 0) deps.add(`s${near}`);
    if (i >= 13) deps.add(`s${i - 13 + (i % 3)}`);
    steps.push({
      id: `s${i}`,
      kind: 'build',
      label: `synthetic ${i}`,
      deps: [...deps],
      resource: 'build',
      payload: {
        imageId: `s${i}`,
        config: { serviceName: `s${i}`, imageName: `synthetic/s${i}`, dockerfilePath: 'Dockerfile' },
      },
    });
  }
  return { service: 'synthetic', pattern: 'dag', steps, batchLoads: false };
}

const unused = (): never => {
  throw new Error('the overhead benchmark runs no ports');
};

/**
 * Runs a synthetic plan of `steps` no-op steps on the real clock and reports the scheduler's own cost
 * per step (planning excluded; validation, events, trace and finalizers included).
 */
export async function measureSchedulerOverhead(
  options: { steps?: number; clock?: Clock } = {},
): Promise<OverheadReport> {
  const count = options.steps ?? 1_000;
  const plan = syntheticPlan(count);
  const toolchain: Toolchain = {
    clock: options.clock ?? realClock,
    imageBuilder: { build: unused },
    imageLoader: { load: unused, held: unused },
    cluster: {
      name: 'none',
      create: unused,
      exists: unused,
      delete: unused,
      kubeconfig: unused,
      loadArchive: unused,
      listNodeImages: unused,
      exportLogs: unused,
    },
    kube: unused,
    migrator: { migrate: unused },
    prober: { waitUntilReady: unused },
  };
  const started = performance.now();
  const result = await runPlan(plan, toolchain, { handlers: { build: async () => {} } });
  const wallMs = performance.now() - started;
  if (!result.ok) throw new Error(`synthetic run failed: ${result.error?.message}`);
  return { steps: count, wallMs, msPerStep: wallMs / count };
}
