import type { EventStream, RunEvent } from '@kubernaut-e2e/core';
import { formatDuration } from '@kubernaut-e2e/orchestrator';
import { formatOffset } from './format.js';

const MARK = { succeeded: '✔', failed: '✖', cancelled: '⊘', skipped: '–' } as const;

/**
 * One timestamped line per event: for CI logs and pipes, where redrawing a task list would be noise.
 * Command output lines are shown only for failed steps' context (stderr) to keep logs readable.
 */
export function attachPlainProgress(events: EventStream, write: (line: string) => void): () => void {
  const started = new Map<string, number>();
  let origin: number | undefined;
  let latest = 0;
  const offset = (at: number) => {
    origin ??= at;
    latest = Math.max(latest, at);
    return formatOffset(at - origin);
  };
  return events.subscribe((event: RunEvent) => {
    switch (event.type) {
      case 'step-started':
        started.set(event.stepId, event.at);
        write(
          `${offset(event.at)} ▶ ${event.label}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`,
        );
        break;
      case 'step-finished': {
        const took = event.at - (started.get(event.stepId) ?? event.at);
        const error = event.error ? ` — ${event.error.message.split('\n')[0]}` : '';
        write(
          `${offset(event.at)} ${MARK[event.outcome]} ${event.stepId} ${event.outcome} in ${formatDuration(took)}${error}`,
        );
        break;
      }
      case 'log':
        // Adapters stamp log lines with their own clock (wall time, or the simulated one): show them at the
        // run's latest step time instead, so every line reads on the same scale.
        // Diagnostics are printed once, whole, when the run has failed.
        if (event.source !== 'diagnostics' && (event.stream === 'stderr' || event.stream === 'info')) {
          write(`${formatOffset(latest - (origin ?? latest))}   ${event.source} │ ${event.text}`);
        }
        break;
    }
  });
}
