/** `12.3s`, `1m45.0s`: durations as a person reads them. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${(seconds - minutes * 60).toFixed(1).padStart(4, '0')}s`;
}

/** Offset from the run's start, fixed width so columns line up: `+  12.0s`. */
export function formatOffset(ms: number): string {
  return `+${(ms / 1000).toFixed(1).padStart(6)}s`;
}
