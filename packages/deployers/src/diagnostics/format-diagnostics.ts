import type { DiagnosticsReport } from './gather-diagnostics.js';

/** Characters of one detail line printed (a JSON log line can run to kilobytes). */
const DETAIL_CHARS = 240;

function clip(text: string): string {
  return text.length > DETAIL_CHARS ? `${text.slice(0, DETAIL_CHARS - 1)}…` : text;
}

export interface FormatDiagnosticsOptions {
  /** Findings shown (the rest are in `findings.txt`); default 5. */
  readonly maxFindings?: number;
  /** Detail lines shown per finding; default 3. */
  readonly maxDetails?: number;
}

/**
 * What a failed run prints about its diagnostics: where they are, and the few lines that tell what went
 * wrong. Plain text lines, no colour (the CLI adds its own).
 */
export function formatDiagnostics(
  report: DiagnosticsReport,
  options: FormatDiagnosticsOptions = {},
): string[] {
  const maxFindings = options.maxFindings ?? 5;
  const maxDetails = options.maxDetails ?? 3;
  const lines = [`Diagnostics: ${report.dir}`];
  if (report.findings.length === 0) {
    lines.push('  No known cause was recognised; start with failed-step.log and the pods/ directory.');
  }
  for (const finding of report.findings.slice(0, maxFindings)) {
    lines.push(`  ✖ ${finding.subject}: ${finding.summary}`);
    // A crash loop's evidence is a log: its last lines hold the fatal error.
    const details =
      finding.kind === 'crash-loop'
        ? finding.details.slice(-maxDetails)
        : finding.details.slice(0, maxDetails);
    for (const detail of details) lines.push(`      ${clip(detail)}`);
  }
  const more = report.findings.length - maxFindings;
  if (more > 0) lines.push(`  … and ${more} more in findings.txt`);
  if (report.gaps.length > 0)
    lines.push(
      `  (${report.gaps.length} item${report.gaps.length === 1 ? '' : 's'} could not be collected: see gaps.txt)`,
    );
  return lines;
}
