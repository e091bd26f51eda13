import { formatDuration } from '../trace/format.js';
import { BENCH_TARGETS, type BenchRatios, type BenchReport } from './benchmark-patterns.js';
import type { FailureRow } from './failure-scenarios.js';

const RATIO_LABELS: Readonly<Record<keyof BenchRatios, string>> = {
  dagVsStandard: 'dag / standard (cold)',
  dagVsHybrid: 'dag / hybrid (cold)',
  dagVsBound: 'dag / its bound (cold)',
  warmFreshVsBound: 'dag warm, fresh cluster / its bound',
  warmFreshVsColdStandard: 'dag warm, fresh cluster / standard cold',
  warmReusedVsColdStandard: 'dag warm, reused cluster / standard cold',
};

/**
 * The benchmark as a text table plus its ratios against the targets. `heading` says what the
 * numbers are (e.g. the simulator's "predicted by the model" label).
 */
export function formatBenchmark(report: BenchReport, heading?: string): string {
  const lines: string[] = [];
  lines.push(heading ?? `${report.service} setup makespan by pattern`);
  const header = ['scenario', 'pattern', 'makespan', 'critical path', 'bound'];
  const body = report.rows.map((r) => [
    r.scenario,
    r.pattern,
    formatDuration(r.makespanMs),
    formatDuration(r.criticalPathMs),
    formatDuration(r.boundMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line), '');
  for (const [key, value] of Object.entries(report.ratios) as [keyof BenchRatios, number][]) {
    const target = BENCH_TARGETS[key];
    const verdict = value <= target ? 'meets' : 'MISSES';
    lines.push(
      `${RATIO_LABELS[key].padEnd(42)} ${value.toFixed(3)}  (target ≤ ${target.toFixed(2)}: ${verdict})`,
    );
  }
  return lines.join('\n');
}

/**
 * The failing scenarios as a text table: per failure and pattern, when the failure was reported waiting for the
 * deadline (before fail-fast) and watching the pods (after), and the failed step.
 */
export function formatFailureBenchmark(rows: readonly FailureRow[], heading?: string): string {
  const header = ['failure', 'pattern', 'deadline', 'fail-fast', 'failed step'];
  const body = rows.map((r) => [
    r.kind,
    r.pattern,
    formatDuration(r.deadlineMs),
    formatDuration(r.failFastMs),
    r.failedStep,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const whats = [...new Map(rows.map((r) => [r.kind, r.what])).entries()].map(([k, w]) => `  ${k}: ${w}`);
  return [
    heading ?? 'time from start to the failure being reported',
    line(header),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...body.map(line),
    ...whats,
  ].join('\n');
}
