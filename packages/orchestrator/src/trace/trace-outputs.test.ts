import { beforeAll, describe, expect, it } from 'vitest';
import { gatewayDeclaration } from '../__fixtures__/gateway.js';
import { planSetup } from '../plan/plan-setup.js';
import { runPlan } from '../scheduler/run-plan.js';
import { createFakeToolchain } from '../testing-internal/fake-toolchain.js';
import { traceCriticalPath } from './analysis.js';
import { toChromeTrace } from './chrome-trace.js';
import { formatDuration } from './format.js';
import { renderGantt } from './gantt.js';
import { renderTimelineHtml, renderTimelineSvg } from './timeline-html.js';
import type { Trace } from './types.js';

let ok: Trace;
let failed: Trace;

beforeAll(async () => {
  const buildMs = { datastorage: 95_000, gateway: 105_000 };
  ok = (await runPlan(planSetup(gatewayDeclaration()), createFakeToolchain({ buildMs }))).trace;
  const failing = createFakeToolchain({ buildMs, faults: { 'build:datastorage': { kind: 'fail' } } });
  failed = (await runPlan(planSetup(gatewayDeclaration()), failing, { logsDir: '/tmp/logs' })).trace;
});

describe('traceCriticalPath', () => {
  it('follows the chain that ended last back to the start', () => {
    // The gateway image is the slowest build, so its build, load and rollout decide the makespan.
    expect(traceCriticalPath(ok)).toEqual([
      'build:gateway',
      'load:gateway',
      'deploy:gateway',
      'ready:gateway',
    ]);
  });
});

describe('renderGantt', () => {
  it('draws one row per step with bars proportional to duration', () => {
    const text = renderGantt(ok, { width: 100 });
    const rows = text.split('\n');
    const rowOf = (id: string) => rows.filter((r) => r.slice(2).startsWith(`${id} `));
    for (const step of ok.steps) expect(rowOf(step.id)).toHaveLength(1);
    const bar = (id: string) => (rowOf(id)[0]?.match(/█/g) ?? []).length;
    expect(bar('build:gateway')).toBeGreaterThan(bar('build:datastorage'));
    expect(bar('build:datastorage')).toBeGreaterThan(bar('cluster'));
    expect(rows[0]).toBe('gateway · dag · makespan 2m06s');
  });

  it('marks the critical path, outcomes and the failure', () => {
    const text = renderGantt(ok);
    expect(text).toMatch(/◆ build:gateway\s/);
    expect(text).not.toMatch(/◆ build:datastorage\s/);
    const failure = renderGantt(failed);
    expect(failure).toMatch(/build:datastorage\s*│[▓ ]+│ 1m35s ✗/);
    expect(failure).toMatch(/build:gateway\s*│[░ ]+│ 1m35s ⊘/);
    expect(failure).toMatch(/load:gateway\s*│ +│ skipped/);
    expect(failure).toMatch(/✗ build:datastorage: command `fake build:datastorage` exited with code 1/);
  });
});

describe('renderTimelineHtml', () => {
  it('is a self-contained page whose SVG holds every step', () => {
    const html = renderTimelineHtml(failed);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const step of failed.steps) expect(html).toContain(`data-step="${step.id}"`);
    expect(html).not.toMatch(/\s(src|href)=/);
    expect(html).not.toMatch(/<script|<link/);
    expect(html.match(/<g /g)?.length).toBe(html.match(/<\/g>/g)?.length);
  });

  it('paints the failed step red, hatches cancelled ones and explains skipped ones', () => {
    const svg = renderTimelineSvg(failed);
    const group = (id: string) =>
      svg.slice(svg.indexOf(`data-step="${id}"`), svg.indexOf('</g>', svg.indexOf(`data-step="${id}"`)));
    expect(group('build:datastorage')).toContain('fill="#D62728"');
    expect(group('build:datastorage')).toContain('error: command `fake build:datastorage`');
    expect(group('build:gateway')).toContain('fill="url(#hatch)"');
    expect(group('load:gateway')).toContain('skipped');
    expect(group('teardown:logs')).toContain('1m35s'); // logs exported at the failure
  });

  it('has a time axis with labelled ticks and the makespan', () => {
    const svg = renderTimelineSvg(ok);
    expect(svg).toContain('>0ms<');
    expect(svg).toContain('>20s<');
    expect(svg).toContain('>2m00s<');
    expect(svg).toContain('makespan 2m06s');
  });
});

describe('toChromeTrace', () => {
  it('is JSON Perfetto reads: X events in microseconds for every step that ran', () => {
    const parsed = JSON.parse(JSON.stringify(toChromeTrace(failed))) as ReturnType<typeof toChromeTrace>;
    const ran = failed.steps.filter((s) => s.start !== undefined);
    const events = parsed.traceEvents.filter((e) => e.ph === 'X');
    expect(events.map((e) => e.name).sort()).toEqual(ran.map((s) => s.id).sort());
    const build = events.find((e) => e.name === 'build:datastorage')!;
    expect(build).toMatchObject({ ts: 0, dur: 95_000_000, cat: 'build', args: { outcome: 'failed' } });
    expect(parsed.otherData.skipped).toContain('load:gateway');
  });

  it('never puts two overlapping steps on one thread, and names the threads', () => {
    const trace = toChromeTrace(ok);
    const events = trace.traceEvents.filter((e) => e.ph === 'X');
    for (const a of events) {
      for (const b of events) {
        if (a === b || a.tid !== b.tid) continue;
        const overlap = a.ts < b.ts + b.dur! && b.ts < a.ts + a.dur!;
        expect(overlap, `${a.name} and ${b.name} share thread ${a.tid}`).toBe(false);
      }
    }
    const threadNames = trace.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args.name);
    expect(threadNames).toEqual(
      expect.arrayContaining(['build 1', 'build 2', 'cluster 1', 'load 1', 'kube 1']),
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [450, '450ms'],
    [12_000, '12s'],
    [12_500, '12.5s'],
    [125_000, '2m05s'],
    [179_999, '3m00s'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
