/** Offset from the run's start, fixed width so columns line up: `+  12.0s`. */
export function formatOffset(ms: number): string {
  return `+${(ms / 1000).toFixed(1).padStart(6)}s`;
}
