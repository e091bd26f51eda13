import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderTimelineHtml, type Trace, toChromeTrace } from '@kubernaut-e2e/orchestrator';
import { defaultOutputDir } from '@kubernaut-e2e/setup';
import type { CliArgs } from './args.js';

/**
 * Where `up` keeps the trace and timeline of the last run of a service when no `--trace`/`--timeline` is given: the
 * service's output folder (`defaultOutputDir`, outside the project), overwritten by the next run.
 */
export async function defaultTraceFiles(
  cwd: string,
  service: string,
  env: NodeJS.ProcessEnv,
): Promise<Required<Pick<CliArgs, 'trace' | 'timeline'>>> {
  const dir = defaultOutputDir(service, cwd, env);
  await mkdir(dir, { recursive: true });
  return { trace: join(dir, 'trace.json'), timeline: join(dir, 'timeline.html') };
}

/** Writes `--trace` (Chrome trace-event JSON) and `--timeline` (HTML) from one trace; returns what was written. */
export async function writeTraceFiles(
  trace: Trace,
  args: Pick<CliArgs, 'trace' | 'timeline'>,
  /** A failed run's diagnostics: the timeline links the directory and shows the failed step's stderr tail. */
  failure?: {
    /** Absent for an interrupted run: its diagnostics are not collected. */
    readonly diagnosticsDir?: string;
    readonly stderrTails: Readonly<Record<string, readonly string[]>>;
  },
): Promise<string[]> {
  const written: string[] = [];
  if (args.trace) {
    await writeFile(args.trace, `${JSON.stringify(toChromeTrace(trace), null, 2)}\n`);
    written.push(`trace (open in https://ui.perfetto.dev): ${args.trace}`);
  }
  if (args.timeline) {
    await writeFile(
      args.timeline,
      renderTimelineHtml(
        trace,
        failure
          ? {
              ...(failure.diagnosticsDir ? { diagnosticsDir: failure.diagnosticsDir } : {}),
              stderrTails: failure.stderrTails,
            }
          : {},
      ),
    );
    written.push(`timeline: ${args.timeline}`);
  }
  return written;
}
