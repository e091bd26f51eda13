import type { Shard } from './ci/shards.js';
import type { AffectedReport } from './find-affected.js';

/** `6m18s`, `52s`, `0s`. */
export function formatMs(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** What `kubernaut-e2e affected` prints: the change, the affected suites with their reasons, the rest, notes. */
export function formatAffectedReport(
  report: AffectedReport,
  options: { readonly verbose?: boolean } = {},
): string {
  const lines: string[] = [];
  const committed = report.changedFiles.length - report.uncommitted;
  lines.push(
    `Changes since ${report.since} (merge base ${report.base.slice(0, 12)}): ${report.changedFiles.length} file${report.changedFiles.length === 1 ? '' : 's'} (${committed} committed, ${report.uncommitted} not committed)`,
  );
  const affected = report.suites.filter((s) => s.affected);
  const width = Math.max(8, ...report.suites.map((s) => s.name.length));
  lines.push('', `Affected: ${affected.length} of ${report.suites.length} suites`);
  for (const suite of affected) {
    const reason = suite.reason!;
    lines.push(
      `  ${suite.name.padEnd(width)}  ${reason.file !== undefined ? `${reason.file}: ` : ''}${reason.why}`,
    );
  }
  const unaffected = report.suites.filter((s) => !s.affected).map((s) => s.name);
  if (unaffected.length > 0) lines.push(`Not affected: ${unaffected.join(', ')}`);
  const inert = report.files.filter((f) => f.suites.length === 0);
  if (inert.length > 0) {
    lines.push('', `Changed files no suite reads (${inert.length}):`);
    for (const f of options.verbose ? inert : inert.slice(0, 10)) lines.push(`  ${f.file}: ${f.why}`);
    if (!options.verbose && inert.length > 10)
      lines.push(`  … and ${inert.length - 10} more (--json lists them all)`);
  }
  if (report.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of report.notes) lines.push(`  ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The shard plan: each machine's suites and its predicted busy time. */
export function formatShards(shards: readonly Shard[], count: number, withTestTimes: boolean): string {
  const basis = withTestTimes
    ? 'predicted setup + recorded test time'
    : 'predicted setup time (no test times given)';
  const lines = [
    `Shards: ${shards.length} of ${count} machine${count === 1 ? '' : 's'} used, longest first by ${basis}`,
  ];
  for (const shard of shards)
    lines.push(
      `  shard ${shard.shard}  ${formatMs(shard.predictedMs).padStart(7)}  ${shard.suites.join(' ')}`,
    );
  return `${lines.join('\n')}\n`;
}
