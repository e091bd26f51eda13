import { writeFile } from 'node:fs/promises';
import { renderTimelineHtml, type Trace, toChromeTrace } from '@kubernaut-e2e/orchestrator';
import type { CliArgs } from './args.js';

/** Writes `--trace` (Chrome trace-event JSON) and `--timeline` (HTML) from one trace; returns what was written. */
export async function writeTraceFiles(
  trace: Trace,
  args: Pick<CliArgs, 'trace' | 'timeline'>,
): Promise<string[]> {
  const written: string[] = [];
  if (args.trace) {
    await writeFile(args.trace, `${JSON.stringify(toChromeTrace(trace), null, 2)}\n`);
    written.push(`trace (open in https://ui.perfetto.dev): ${args.trace}`);
  }
  if (args.timeline) {
    await writeFile(args.timeline, renderTimelineHtml(trace));
    written.push(`timeline: ${args.timeline}`);
  }
  return written;
}
