import type { EventStream, RunEvent, StepOutcome } from '@kubernaut-e2e/core';
import { formatDuration } from '@kubernaut-e2e/orchestrator';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const MARK: Record<StepOutcome, string> = {
  succeeded: '\x1b[32m✔\x1b[0m',
  failed: '\x1b[31m✖\x1b[0m',
  cancelled: '\x1b[33m⊘\x1b[0m',
  skipped: '\x1b[2m–\x1b[0m',
};

interface Row {
  label: string;
  startedAt: number;
  wallStart: number;
  finished?: { outcome: StepOutcome; tookMs: number };
  lastLine?: string;
}

/**
 * A live task list for terminals: one row per step with a spinner while it runs and its duration when done,
 * redrawn in place. Durations come from the run's clock, so a simulated run shows simulated seconds.
 */
export function attachTtyProgress(events: EventStream, stream: NodeJS.WriteStream): () => void {
  const rows = new Map<string, Row>();
  let frame = 0;
  let drawnLines = 0;
  let lastAt = 0;

  const draw = () => {
    const width = stream.columns ?? 100;
    const lines: string[] = [];
    for (const row of rows.values()) {
      const mark = row.finished
        ? MARK[row.finished.outcome]
        : `\x1b[36m${SPINNER[frame % SPINNER.length]}\x1b[0m`;
      const took = row.finished
        ? formatDuration(row.finished.tookMs)
        : formatDuration(Math.max(0, lastAt - row.startedAt));
      const detail = !row.finished && row.lastLine ? ` \x1b[2m${row.lastLine}\x1b[0m` : '';
      lines.push(`${mark} ${row.label.padEnd(34)} ${took.padStart(8)}${detail}`.slice(0, width + 20));
    }
    if (drawnLines > 0) stream.write(`\x1b[${drawnLines}A`);
    stream.write(lines.map((l) => `\x1b[2K${l}`).join('\n') + (lines.length ? '\n' : ''));
    drawnLines = lines.length;
  };

  const unsubscribe = events.subscribe((event: RunEvent) => {
    lastAt = Math.max(lastAt, event.at);
    if (event.type === 'step-started') {
      rows.set(event.stepId, { label: event.label, startedAt: event.at, wallStart: Date.now() });
    } else if (event.type === 'step-finished') {
      const row = rows.get(event.stepId);
      if (row) row.finished = { outcome: event.outcome, tookMs: event.at - row.startedAt };
    } else if (event.type === 'log') {
      const row = rows.get(event.source);
      if (row) row.lastLine = event.text.slice(0, 60);
      return;
    }
    draw();
  });
  const timer = setInterval(() => {
    frame++;
    draw();
  }, 100);
  timer.unref();
  return () => {
    clearInterval(timer);
    unsubscribe();
    draw();
  };
}
