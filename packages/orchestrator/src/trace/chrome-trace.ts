import { assignLanes, RESOURCE_ORDER } from './analysis.js';
import type { Trace } from './types.js';

export interface ChromeTraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'X' | 'M';
  /** Microseconds. */
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args: Readonly<Record<string, unknown>>;
}

export interface ChromeTrace {
  readonly traceEvents: readonly ChromeTraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: Readonly<Record<string, unknown>>;
}

/**
 * The run in Chrome's trace-event format (open it in https://ui.perfetto.dev or chrome://tracing):
 * one complete (`X`) event per step that ran, on a thread per resource lane (`build 1`, `load 2`, …)
 * so overlapping steps never share a track; skipped steps are listed in `otherData.skipped`.
 */
export function toChromeTrace(trace: Trace): ChromeTrace {
  const pid = 1;
  const lanes = assignLanes(trace);
  const tidOf = (resource: string, lane: number) =>
    RESOURCE_ORDER.indexOf(resource as never) * 100 + lane + 1;
  const threads = new Map<number, string>();
  const events: ChromeTraceEvent[] = [];
  for (const step of trace.steps) {
    const lane = lanes.get(step.id);
    if (!lane || step.start === undefined || step.end === undefined) continue;
    const tid = tidOf(lane.resource, lane.lane);
    threads.set(tid, `${lane.resource} ${lane.lane + 1}`);
    events.push({
      name: step.id,
      cat: step.kind,
      ph: 'X',
      ts: Math.round(step.start * 1_000),
      dur: Math.round((step.end - step.start) * 1_000),
      pid,
      tid,
      args: {
        label: step.label,
        outcome: step.outcome,
        attempt: step.attempt,
        deps: step.deps,
        ...(step.error ? { error: step.error.message, code: step.error.code } : {}),
        ...(step.batch ? { batch: step.batch } : {}),
        ...(step.note ? { note: step.note } : {}),
      },
    });
  }
  const metadata: ChromeTraceEvent[] = [
    {
      name: 'process_name',
      cat: '__metadata',
      ph: 'M',
      ts: 0,
      pid,
      tid: 0,
      args: { name: `kubernaut-e2e ${trace.service} (${trace.pattern})` },
    },
    ...[...threads].map(
      ([tid, name]): ChromeTraceEvent => ({
        name: 'thread_name',
        cat: '__metadata',
        ph: 'M',
        ts: 0,
        pid,
        tid,
        args: { name },
      }),
    ),
    ...[...threads.keys()].map(
      (tid): ChromeTraceEvent => ({
        name: 'thread_sort_index',
        cat: '__metadata',
        ph: 'M',
        ts: 0,
        pid,
        tid,
        args: { sort_index: tid },
      }),
    ),
  ];
  return {
    traceEvents: [...metadata, ...events],
    displayTimeUnit: 'ms',
    otherData: {
      service: trace.service,
      pattern: trace.pattern,
      makespanMs: trace.makespanMs,
      skipped: trace.steps.filter((s) => s.start === undefined).map((s) => s.id),
    },
  };
}
