const UNIT_NANOS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Go's `time.ParseDuration`: `300ms`, `-1.5h`, `2h45m`; `0` needs no unit. The duration in nanoseconds, or
 * undefined when Go would refuse the text.
 */
export function goDurationNanos(text: string): number | undefined {
  const match = /^([-+]?)(.*)$/s.exec(text)!;
  const sign = match[1] === '-' ? -1 : 1;
  const body = match[2]!;
  if (body === '0') return 0;
  if (body === '') return undefined;
  const part = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  while (i < body.length) {
    part.lastIndex = i;
    const m = part.exec(body);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_NANOS[m[2]!]!;
    i = part.lastIndex;
  }
  return sign * total;
}

/**
 * The port of a listen address as Go's net.Listen reads it: `:8081`, `0.0.0.0:8081`, `[::]:8081`, or a bare
 * number (a port field). Undefined when there is no port in it.
 */
export function portOf(address: string | number): number | undefined {
  if (typeof address === 'number') return Number.isInteger(address) ? address : undefined;
  const match = /^(?:\d+|.*:(\d+))$/.exec(address.trim());
  if (!match) return undefined;
  return Number(match[1] ?? address.trim());
}
