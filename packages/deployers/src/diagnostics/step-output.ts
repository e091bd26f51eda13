import type { EventStream, LogLine } from '@kubernaut-e2e/core';

/** Every output line of every step of a run, kept so a failed step's full stdout/stderr can be saved. */
export interface StepOutputRecorder {
  /**
   * The lines a step printed, in order: those logged under its id, under each of its attempts (`cluster#2`), and under
   * a batch it ran in (`load:a + load:b`, loads that shared one archive).
   */
  linesOf(stepId: string): readonly LogLine[];
  /** Stops listening (the lines seen so far stay readable). */
  stop(): void;
}

/** Whether a log source is the step's: its id, one of its attempts, or a batch of steps it belongs to. */
function belongsTo(source: string, stepId: string): boolean {
  const unit = source.replace(/#\d+$/, '');
  return unit === stepId || unit.split(' + ').includes(stepId);
}

/**
 * Listens to a run's `log` events and keeps them per step. The setup runtime starts one before
 * `runPlan`, so a failure's diagnostics hold the failed step's complete output, not just the stderr tail
 * its `CommandError` carries.
 */
export function recordStepOutput(events: EventStream): StepOutputRecorder {
  const lines: LogLine[] = [];
  const stop = events.subscribe((event) => {
    if (event.type !== 'log' || event.stream === 'info') return;
    const { type: _type, ...line } = event;
    lines.push(line);
  });
  return {
    linesOf: (stepId) => lines.filter((line) => belongsTo(line.source, stepId)),
    stop: () => {
      stop();
    },
  };
}
