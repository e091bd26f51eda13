import type { Trace, TraceStep } from '@kubernaut-e2e/orchestrator';
import { describe, expect, it } from 'vitest';
import { stoppedStepLines } from './stopped-steps.js';

const step = (id: string, outcome: TraceStep['outcome'], start?: number): TraceStep => ({
  id,
  kind: 'load',
  label: id,
  resource: 'load',
  deps: [],
  outcome,
  attempt: start === undefined ? 0 : 1,
  ...(start === undefined ? {} : { start }),
});

const trace = (steps: TraceStep[]): Trace => ({ service: 'gateway', pattern: 'dag', makespanMs: 0, steps });

describe('stoppedStepLines', () => {
  it('names the step a deadline stopped, with the tail of its stderr', () => {
    expect(
      stoppedStepLines({
        message: 'step load:gateway did not finish within 2000 ms',
        interrupted: false,
        trace: trace([step('load:gateway', 'failed', 1)]),
        stderrTails: { 'load:gateway': ['one', '', 'two'] },
      }),
    ).toEqual(['Stopped in load:gateway; its last stderr lines:', '  │ one', '  │ two']);
  });

  it("does not repeat a failed command's stderr the message already quotes", () => {
    expect(
      stoppedStepLines({
        message: 'command `kind load` exited with code 1\n  │ boom',
        interrupted: false,
        trace: undefined,
        stderrTails: { 'load:gateway': ['boom'] },
      }),
    ).toEqual([]);
  });

  it('names every step that was running when the run was interrupted, never the skipped ones', () => {
    expect(
      stoppedStepLines({
        message: 'interrupted by SIGINT',
        interrupted: true,
        trace: trace([
          step('cluster', 'succeeded', 0),
          step('build:gateway', 'cancelled', 1),
          step('crds', 'cancelled', 2),
          step('deploy:gateway', 'cancelled'),
        ]),
        stderrTails: { 'build:gateway': ['STEP 3/4: RUN sleep 3600'] },
      }),
    ).toEqual([
      'Interrupted in build:gateway; its last stderr lines:',
      '  │ STEP 3/4: RUN sleep 3600',
      'Interrupted in crds (it printed nothing on stderr)',
    ]);
  });
});
