import type { StepKind } from '../plan/types.js';
import { RESOURCE_ORDER, traceCriticalPath, traceExtent } from './analysis.js';
import { formatDuration, tickInterval } from './format.js';
import type { Trace, TraceStep } from './types.js';

/** One colour per step kind (colour-blind-friendly Okabe–Ito palette); failures are always red. */
export const KIND_COLOURS: Readonly<Record<StepKind, string>> = {
  build: '#E69F00',
  'create-cluster': '#0072B2',
  'install-crds': '#56B4E9',
  namespace: '#56B4E9',
  load: '#009E73',
  deploy: '#CC79A7',
  'wait-ready': '#9F7AEA',
  manifests: '#718096',
  seed: '#D69E2E',
  migrate: '#F0C808',
  teardown: '#7F7F7F',
};
const FAILED = '#D62728';

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const LABEL_W = 230;
const CHART_W = 860;
const ROW_H = 24;
const HEADER_H = 56;
const GROUP_H = 22;
/** Room right of the chart for the label of a bar that ends at the makespan. */
const RIGHT_W = 150;

function hoverText(step: TraceStep): string {
  const lines = [
    `${step.id} — ${step.label}`,
    `kind ${step.kind}, resource ${step.resource}`,
    `outcome ${step.outcome}`,
  ];
  if (step.start !== undefined && step.end !== undefined) {
    lines.push(
      `${formatDuration(step.start)} → ${formatDuration(step.end)} (${formatDuration(step.end - step.start)})`,
    );
  }
  if (step.attempt > 1) lines.push(`attempts ${step.attempt}`);
  if (step.batch) lines.push(`one archive with ${step.batch.join(', ')}`);
  if (step.note) lines.push(step.note);
  if (step.error) lines.push(`error: ${step.error.message}`);
  if (step.deps.length) lines.push(`after ${step.deps.join(', ')}`);
  return lines.join('\n');
}

/**
 * The run as an SVG timeline: one row per step, grouped into lanes by resource (build, cluster, load,
 * kube), bars coloured by step kind on a time axis, durations as labels, failed steps in red, cancelled
 * ones hatched, the critical path outlined, and every detail in the hover title. No external assets.
 */
export function renderTimelineSvg(trace: Trace): string {
  const extent = Math.max(1, traceExtent(trace));
  const x = (ms: number) => LABEL_W + (ms / extent) * CHART_W;
  const critical = new Set(traceCriticalPath(trace));
  const parts: string[] = [];
  let y = HEADER_H;

  for (const resource of RESOURCE_ORDER) {
    const steps = trace.steps
      .filter((s) => s.resource === resource)
      .sort((a, b) => (a.start ?? Infinity) - (b.start ?? Infinity) || a.id.localeCompare(b.id));
    if (steps.length === 0) continue;
    parts.push(
      `<rect x="0" y="${y}" width="${LABEL_W + CHART_W + RIGHT_W}" height="${GROUP_H}" class="group"/>`,
      `<text x="8" y="${y + 15}" class="group-label">${escapeXml(resource)}</text>`,
    );
    y += GROUP_H;
    for (const step of steps) {
      const title = `<title>${escapeXml(hoverText(step))}</title>`;
      parts.push(`<g class="step ${step.outcome}" data-step="${escapeXml(step.id)}">${title}`);
      const failed = step.outcome === 'failed';
      parts.push(
        `<text x="${LABEL_W - 8}" y="${y + 16}" class="label${failed ? ' failed-label' : ''}" text-anchor="end">${failed ? '✖ ' : ''}${escapeXml(step.id)}</text>`,
      );
      if (step.start !== undefined && step.end !== undefined) {
        const left = x(step.start);
        const w = Math.max(2, x(step.end) - left);
        const fill =
          step.outcome === 'failed'
            ? FAILED
            : step.outcome === 'cancelled'
              ? 'url(#hatch)'
              : KIND_COLOURS[step.kind];
        const stroke = critical.has(step.id) ? ' stroke="#111" stroke-width="2"' : '';
        parts.push(
          `<rect x="${left.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW_H - 8}" rx="3" fill="${fill}"${stroke}/>`,
        );
        const text = `${failed ? '✖ ' : ''}${formatDuration(step.end - step.start)}${step.outcome === 'succeeded' ? '' : ` ${step.outcome}`}${step.attempt > 1 ? ` ×${step.attempt}` : ''}`;
        const inside = w > text.length * 7 + 8;
        // White text is unreadable on the light hatching of a cancelled bar and on the yellow of migrate.
        const light =
          step.outcome === 'cancelled' || (step.outcome === 'succeeded' && step.kind === 'migrate');
        const inClass = light ? 'in on-hatch' : 'in';
        parts.push(
          `<text x="${(inside ? left + 5 : left + w + 5).toFixed(1)}" y="${y + 16}" class="${inside ? inClass : 'out'}">${escapeXml(text)}</text>`,
        );
      } else {
        parts.push(
          `<text x="${LABEL_W + 5}" y="${y + 16}" class="out skipped">skipped${step.note ? ` — ${escapeXml(step.note)}` : ''}</text>`,
        );
      }
      parts.push('</g>');
      y += ROW_H;
    }
  }

  const height = y + 40;
  const axis: string[] = [];
  const tick = tickInterval(extent);
  for (let t = 0; t <= extent + 0.5; t += tick) {
    axis.push(
      `<line x1="${x(t).toFixed(1)}" y1="${HEADER_H - 6}" x2="${x(t).toFixed(1)}" y2="${y}" class="grid"/>`,
      `<text x="${x(t).toFixed(1)}" y="${HEADER_H - 10}" class="tick" text-anchor="middle">${formatDuration(t)}</text>`,
    );
  }
  const makespanX = x(trace.makespanMs).toFixed(1);
  axis.push(
    `<line x1="${makespanX}" y1="${HEADER_H - 6}" x2="${makespanX}" y2="${y}" class="makespan"/>`,
    `<text x="${makespanX}" y="${y + 14}" class="tick" text-anchor="middle">makespan ${formatDuration(trace.makespanMs)}</text>`,
  );
  const legendKinds = [...new Set(trace.steps.map((s) => s.kind))];
  const legend = legendKinds.map((kind, i) => {
    const lx = 10 + i * 112;
    return `<rect x="${lx}" y="8" width="12" height="12" rx="2" fill="${KIND_COLOURS[kind]}"/><text x="${lx + 17}" y="18" class="legend">${escapeXml(kind)}</text>`;
  });
  const lx = 10 + legendKinds.length * 112;
  legend.push(
    `<rect x="${lx}" y="8" width="12" height="12" rx="2" fill="${FAILED}"/><text x="${lx + 17}" y="18" class="legend">failed</text>`,
  );

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${LABEL_W + CHART_W + RIGHT_W} ${height}" width="${LABEL_W + CHART_W + RIGHT_W}" height="${height}" role="img" aria-label="${escapeXml(`${trace.service} ${trace.pattern} timeline`)}">`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ddd"/><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="3"/></pattern></defs>',
    '<style>text{font:12px ui-sans-serif,system-ui,sans-serif;fill:#222}.label{font-family:ui-monospace,monospace}.group{fill:#f1f3f5}.group-label{font-weight:600;text-transform:uppercase;letter-spacing:.05em;fill:#555}.grid{stroke:#e3e3e3}.makespan{stroke:#111;stroke-dasharray:4 3}.tick{fill:#666;font-size:11px}.in{fill:#fff;font-weight:600}.out{fill:#333}.skipped{fill:#999;font-style:italic}.failed-label{fill:#D62728;font-weight:700}.on-hatch{fill:#222}.step:hover rect{opacity:.8}</style>',
    ...legend,
    ...axis,
    ...parts,
    '</svg>',
  ].join('\n');
}

/** Options of the HTML page. */
export interface TimelineHtmlOptions {
  /**
   * The run's diagnostics directory, linked from each failed step. An absolute path becomes a `file://`
   * link; a relative one is used as written (relative to where the HTML file is saved).
   */
  readonly diagnosticsDir?: string;
  /**
   * The last lines of each failed step's stderr, by step id (the setup runtime has the full output);
   * without them the panel shows the error message, whose `│` lines are the command's stderr tail.
   */
  readonly stderrTails?: Readonly<Record<string, readonly string[]>>;
}

/** Lines of a failed step's output shown in its panel: the end of stderr, where the error is. */
const STDERR_TAIL_LINES = 15;

function diagnosticsHref(dir: string): string {
  const slashed = dir.endsWith('/') ? dir : `${dir}/`;
  return slashed.startsWith('/') ? `file://${encodeURI(slashed)}` : encodeURI(slashed);
}

/** One panel per failed step: what failed, its error and stderr tail, and where the diagnostics are. */
function failurePanels(trace: Trace, options: TimelineHtmlOptions): string {
  const failed = trace.steps.filter((s) => s.outcome === 'failed');
  return failed
    .map((step) => {
      const took =
        step.start !== undefined && step.end !== undefined
          ? ` after ${formatDuration(step.end - step.start)}`
          : '';
      const code = step.error?.code ? ` <span class="code">${escapeXml(step.error.code)}</span>` : '';
      const tail = (options.stderrTails?.[step.id] ?? []).slice(-STDERR_TAIL_LINES);
      const link = options.diagnosticsDir
        ? `<p class="diag">Diagnostics: <a href="${escapeXml(diagnosticsHref(options.diagnosticsDir))}">${escapeXml(options.diagnosticsDir)}</a></p>`
        : '';
      return [
        `<section class="failure" id="failed-${escapeXml(step.id)}" data-failed-step="${escapeXml(step.id)}">`,
        `<h2>✖ ${escapeXml(step.id)} failed${took}${code}</h2>`,
        step.error ? `<pre class="error">${escapeXml(step.error.message)}</pre>` : '',
        tail.length > 0
          ? `<p class="tail-title">stderr (last ${tail.length} lines)</p><pre class="stderr">${escapeXml(tail.join('\n'))}</pre>`
          : '',
        link,
        '</section>',
      ]
        .filter(Boolean)
        .join('\n');
    })
    .join('\n');
}

/**
 * A self-contained HTML page around `renderTimelineSvg`, with a one-line summary and, for a failed run,
 * a panel per failed step (its error, stderr tail and a link to the diagnostics directory) above the chart.
 */
export function renderTimelineHtml(trace: Trace, options: TimelineHtmlOptions = {}): string {
  const counts = new Map<string, number>();
  for (const step of trace.steps) counts.set(step.outcome, (counts.get(step.outcome) ?? 0) + 1);
  const summary = [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(' · ');
  const critical = traceCriticalPath(trace).join(' → ');
  const title = `${trace.service} · ${trace.pattern} · makespan ${formatDuration(trace.makespanMs)}`;
  const failed = trace.steps.some((s) => s.outcome === 'failed');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(`${failed ? '✖ ' : ''}${title}`)}</title>
<style>body{margin:24px;font:14px ui-sans-serif,system-ui,sans-serif;color:#222;background:#fff}h1{font-size:18px;margin:0 0 4px}p{margin:0 0 12px;color:#555}svg{max-width:100%;height:auto}.failure{border:1px solid #D62728;border-left:6px solid #D62728;border-radius:4px;background:#fff5f5;padding:10px 14px;margin:0 0 16px;max-width:1220px}.failure h2{font-size:15px;color:#D62728;margin:0 0 6px}.failure .code{font:12px ui-monospace,monospace;color:#7a1a1a;background:#fde2e2;border-radius:3px;padding:1px 5px;margin-left:6px}.failure pre{font:12px/1.45 ui-monospace,monospace;background:#fff;border:1px solid #f3c4c4;border-radius:3px;padding:8px;margin:0 0 8px;white-space:pre-wrap;word-break:break-word;max-height:260px;overflow:auto}.failure .tail-title{margin:0 0 4px;font-size:12px;color:#7a1a1a}.failure .diag{margin:0}.failure a{color:#0b57d0}</style>
</head>
<body>
<h1>${failed ? '<span style="color:#D62728">✖</span> ' : ''}${escapeXml(title)}</h1>
<p>${escapeXml(summary)}. Critical path: ${escapeXml(critical)}. Hover a bar for details.</p>
${failurePanels(trace, options)}
${renderTimelineSvg(trace)}
</body>
</html>
`;
}
