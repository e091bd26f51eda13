/**
 * The fail-fast rollout wait inside a whole run on the simulator: a pod that cannot become ready on its own fails
 * its wait-ready step with the recognised cause, on the simulated clock, instead of at the rollout deadline.
 */
import { PodFailedError, type StepError } from '@kubernaut-e2e/core';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { gatewayDeclaration } from '../__fixtures__/gateway.js';
import type { ServiceDeclaration } from '../declaration.js';
import { planSetup } from '../plan/plan-setup.js';
import type { PodWatchOptions } from './options.js';
import { runPlan } from './run-plan.js';

const FATAL = 'FATAL: password authentication failed for user slm_user';
const crash = [{ op: 'container' as const, target: 'datastorage', fail: true as const, message: FATAL }];

async function crashingRun(
  declaration: ServiceDeclaration = gatewayDeclaration(),
  podWatch?: PodWatchOptions,
) {
  const result = await runPlan(planSetup(declaration), createSimToolchain({ faults: crash }), {
    ...(podWatch ? { podWatch } : {}),
  });
  const step = (id: string) => result.trace.steps.find((s) => s.id === id)!;
  return { result, deployed: step('deploy:datastorage').end!, failed: step('ready:datastorage') };
}

describe('fail-fast rollout waits on the simulator', () => {
  it('DataStorage crashing at start fails within 40 s of its first start, with the cause and its last log line', async () => {
    const { result, deployed, failed } = await crashingRun();
    expect(result.ok).toBe(false);
    expect(failed.outcome).toBe('failed');
    // Two back-offs (10 s, 20 s): restarted at 11 s and 32 s, crashed again at 33 s, seen at the next 2 s poll.
    expect(failed.end! - deployed).toBeLessThanOrEqual(40_000);
    expect(failed.end! - deployed).toBeGreaterThanOrEqual(33_000);
    const cause = (result.error as StepError).cause;
    expect(cause).toBeInstanceOf(PodFailedError);
    expect((cause as PodFailedError).message).toMatch(
      /container datastorage keeps crashing \(CrashLoopBackOff, 2 restarts, last exit code 2\)/,
    );
    expect((cause as PodFailedError).logLines).toEqual([FATAL]);
  });

  it('failAfterRestarts from the run, then the component, decides how many back-offs it waits', async () => {
    const run = await crashingRun(gatewayDeclaration(), { failAfterRestarts: 3 });
    // The third restart comes at 73 s (after 40 s more of back-off) and crashes at 74 s.
    expect(run.failed.end! - run.deployed).toBeGreaterThanOrEqual(74_000);
    expect(run.failed.end! - run.deployed).toBeLessThanOrEqual(76_000);
    const declaration = gatewayDeclaration();
    const own = await crashingRun(
      {
        ...declaration,
        components: declaration.components.map((c) =>
          c.id === 'datastorage' && c.kind === 'deploy' ? { ...c, failAfterRestarts: 1 } : c,
        ),
      },
      { failAfterRestarts: 3 },
    );
    expect(own.failed.end! - own.deployed).toBeLessThanOrEqual(14_000); // restarted at 11 s, crashed at 12 s
  });

  it('with the watch off, the same run waits for the deadline (the behaviour before fail-fast)', async () => {
    const { failed, deployed } = await crashingRun(gatewayDeclaration(), { enabled: false });
    const rolloutTimeoutMs = planSetup(gatewayDeclaration()).steps.find((s) => s.id === 'ready:datastorage')!
      .payload as { rolloutTimeoutMs: number };
    expect(failed.end! - deployed).toBeGreaterThanOrEqual(rolloutTimeoutMs.rolloutTimeoutMs);
  });
});
