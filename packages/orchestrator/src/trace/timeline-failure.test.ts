import { writeFileSync } from 'node:fs';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatewayDeclaration } from '../__fixtures__/gateway.js';
import { planSetup } from '../plan/plan-setup.js';
import { runPlan } from '../scheduler/run-plan.js';
import { renderTimelineHtml, renderTimelineSvg } from './timeline-html.js';
import type { Trace } from './types.js';

/**
 * A failed run's timeline, as a person opening it should see it: the failed step marked in the chart
 * (red, ✖) and a panel above it with the error, the stderr tail and the diagnostics link.
 * `scripts/screenshot-timeline.sh` sets TIMELINE_EXAMPLE_OUT to save this page and screenshot it.
 */
let trace: Trace;
const DIAGNOSTICS = '/home/dev/src/kubernaut/.kubernaut-e2e/gateway/diagnostics/2025-05-20T09-14-02Z';
const stderrTails = {
  'build:datastorage': [
    'STEP 7/9: RUN go build -o /bin/datastorage ./cmd/datastorage',
    'pkg/datastorage/repository/traces.go:212:9: undefined: sqlx.NamedQueryContext',
    'Error: building at STEP "RUN go build -o /bin/datastorage ./cmd/datastorage": while running runtime: exit status 1',
  ],
};

beforeAll(async () => {
  const toolchain = createSimToolchain({
    faults: [{ op: 'build', target: 'datastorage', fail: true, afterMs: 60_000 }],
  });
  const result = await runPlan(planSetup(gatewayDeclaration()), toolchain, { logsDir: DIAGNOSTICS });
  expect(result.ok).toBe(false);
  trace = result.trace;
  const out = process.env.TIMELINE_EXAMPLE_OUT;
  if (out) writeFileSync(out, renderTimelineHtml(trace, { diagnosticsDir: DIAGNOSTICS, stderrTails }));
});

const panel = (html: string) =>
  html.slice(html.indexOf('<section class="failure"'), html.indexOf('</section>'));

describe('the timeline of a failed run', () => {
  it('marks the failed step in the chart with ✖ and red, label and bar', () => {
    const svg = renderTimelineSvg(trace);
    const start = svg.indexOf('data-step="build:datastorage"');
    const group = svg.slice(start, svg.indexOf('</g>', start));
    expect(group).toContain('class="label failed-label" text-anchor="end">✖ build:datastorage</text>');
    expect(group).toContain('fill="#D62728"');
    expect(group).toMatch(/>✖ 1m00s failed</);
    expect(svg.match(/✖ /g)).toHaveLength(2); // only the failed step (label and bar)
  });

  it('shows the failed step’s error and stderr tail, and links the diagnostics directory', () => {
    const html = renderTimelineHtml(trace, { diagnosticsDir: DIAGNOSTICS, stderrTails });
    const failure = panel(html);
    expect(failure).toContain(
      '<h2>✖ build:datastorage failed after 1m00s <span class="code">KE_COMMAND</span></h2>',
    );
    expect(failure).toContain('simulated fault in build');
    expect(failure).toContain('stderr (last 3 lines)');
    expect(failure).toContain('undefined: sqlx.NamedQueryContext');
    expect(failure).toContain(`<a href="file://${DIAGNOSTICS}/">${DIAGNOSTICS}</a>`);
    // Above the chart, where it is seen first.
    expect(html.indexOf('<section class="failure"')).toBeLessThan(html.indexOf('<svg'));
  });

  it('escapes what the tools printed, links a relative directory as written, and adds nothing to a successful run', () => {
    const html = renderTimelineHtml(trace, {
      diagnosticsDir: 'diagnostics/run 1',
      stderrTails: { 'build:datastorage': ['<script>alert(1)</script>'] },
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<a href="diagnostics/run%201/">');
    const ok = { ...trace, steps: trace.steps.map((s) => ({ ...s, outcome: 'succeeded' as const })) };
    expect(renderTimelineHtml(ok)).not.toContain('class="failure"');
  });
});
