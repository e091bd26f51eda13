import { traceCriticalPath, traceExtent } from './analysis.js';
import { formatDuration, tickInterval } from './format.js';
import type { Trace, TraceStep } from './types.js';

export interface GanttOptions {
  /** Total width in columns (default 100). */
  readonly width?: number;
}

const MARK: Record<TraceStep['outcome'], string> = {
  succeeded: '✓',
  failed: '✗',
  cancelled: '⊘',
  skipped: '·',
};
const FILL: Record<TraceStep['outcome'], string> = {
  succeeded: '█',
  failed: '▓',
  cancelled: '░',
  skipped: ' ',
};

/**
 * A text Gantt chart for the terminal: one row per step, bars scaled to the run's extent, the duration
 * and an outcome mark (✓ ✗ ⊘ ·); `◆` marks the steps on the critical path.
 */
export function renderGantt(trace: Trace, options: GanttOptions = {}): string {
  const width = Math.max(40, options.width ?? 100);
  const critical = new Set(traceCriticalPath(trace));
  const nameWidth = Math.max(...trace.steps.map((s) => s.id.length), 4);
  const tailWidth = 10;
  const barWidth = Math.max(10, width - nameWidth - 4 - tailWidth);
  const extent = Math.max(1, traceExtent(trace));
  const col = (ms: number) => Math.min(barWidth, Math.round((ms / extent) * barWidth));

  const lines: string[] = [];
  lines.push(`${trace.service} · ${trace.pattern} · makespan ${formatDuration(trace.makespanMs)}`);
  // Axis: round tick times, one label every ~12 columns at most.
  const axis = Array.from({ length: barWidth + 8 }, () => ' ');
  const tick = tickInterval(extent, Math.max(2, Math.floor(barWidth / 10)));
  for (let t = 0; t <= extent; t += tick) {
    const label = `╵${formatDuration(t)}`;
    const c = col(t);
    if (axis.slice(c, c + label.length + 1).some((ch) => ch !== ' ')) continue;
    for (let i = 0; i < label.length; i++) axis[c + i] = label[i]!;
  }
  lines.push(`${' '.repeat(nameWidth + 4)}${axis.join('').trimEnd()}`);

  const ordered = [...trace.steps].sort((a, b) => (a.start ?? Infinity) - (b.start ?? Infinity));
  for (const step of ordered) {
    const mark = critical.has(step.id) ? '◆' : ' ';
    const cells = Array.from({ length: barWidth }, () => ' ');
    let tail: string;
    if (step.start !== undefined && step.end !== undefined) {
      const from = col(step.start);
      const to = Math.max(from + 1, col(step.end));
      for (let c = from; c < Math.min(to, barWidth); c++) cells[c] = FILL[step.outcome];
      tail = `${formatDuration(step.end - step.start)} ${MARK[step.outcome]}`;
    } else {
      tail = `skipped${step.note ? ` (${step.note})` : ''}`;
    }
    lines.push(`${mark} ${step.id.padEnd(nameWidth)} │${cells.join('')}│ ${tail}`);
  }
  const failed = trace.steps.find((s) => s.outcome === 'failed');
  if (failed?.error) lines.push(`✗ ${failed.id}: ${failed.error.message.split('\n')[0]}`);
  lines.push('◆ critical path   ✓ succeeded   ✗ failed   ⊘ cancelled');
  return lines.join('\n');
}
