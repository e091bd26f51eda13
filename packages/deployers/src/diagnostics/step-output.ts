import type { EventStream, LogLine } from '@kubernaut-e2e/core';

/** Every output line of every step of a run, kept so a failed step's full stdout/stderr can be saved. */
export interface StepOutputRecorder {
  /** The lines a step printed, in order (`source` is the step id). */
  linesOf(stepId: string): readonly LogLine[];
  /** Stops listening (the lines seen so far stay readable). */
  stop(): void;
}

/**
 * Listens to a run's `log` events and keeps them per step. The setup runtime starts one before
 * `runPlan`, so a failure's diagnostics hold the failed step's complete output, not just the stderr tail
 * its `CommandError` carries.
 */
export function recordStepOutput(events: EventStream): StepOutputRecorder {
  const bySource = new Map<string, LogLine[]>();
  const stop = events.subscribe((event) => {
    if (event.type !== 'log' || event.stream === 'info') return;
    const { type: _type, ...line } = event;
    const lines = bySource.get(line.source) ?? [];
    lines.push(line);
    bySource.set(line.source, lines);
  });
  return {
    linesOf: (stepId) => bySource.get(stepId) ?? [],
    stop: () => {
      stop();
    },
  };
}
