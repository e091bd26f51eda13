/** `450ms`, `12s`, `12.5s`, `2m05s` — short enough for a chart label. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) {
    const s = ms / 1_000;
    return Number.isInteger(s) ? `${s}s` : `${s.toFixed(1)}s`;
  }
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms - minutes * 60_000) / 1_000);
  return seconds === 60 ? `${minutes + 1}m00s` : `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/** A tick spacing of 1, 2 or 5 × 10ⁿ ms giving about `target` ticks over `span` (nearest on a log scale). */
export function tickInterval(span: number, target = 8): number {
  if (span <= 0) return 1_000;
  const raw = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const candidates = [1, 2, 5, 10].map((f) => f * magnitude);
  return candidates.reduce((best, c) =>
    Math.abs(Math.log(c / raw)) < Math.abs(Math.log(best / raw)) ? c : best,
  );
}
