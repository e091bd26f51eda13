import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CancelledError,
  type Clock,
  ConfigError,
  type HttpProbe,
  NotReadyError,
  type OperationContext,
  type Probe,
  type ReadinessOptions,
  type ReadinessProber,
  type TcpProbe,
} from '@kubernaut-e2e/core';

export interface ReadinessProberOptions {
  /** Time source; the wall clock by default. */
  readonly clock?: Clock;
}

const DEFAULT_ATTEMPT_TIMEOUT_MS = 2_000;
const DEFAULT_INTERVAL_MS = 250;
const BODY_SNIPPET_CHARS = 200;

const wallClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : undefined),
};

type Attempt =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly observation: string /** no answer before the attempt's timeout */;
      readonly timedOut?: boolean;
    };

function describeProbe(probe: Probe): string {
  return probe.kind === 'http' ? `HTTP ${probe.url}` : `TCP ${probe.host}:${probe.port}`;
}

function validate(probe: Probe, options: ReadinessOptions): void {
  const positive = (value: number | undefined, field: string) => {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0))
      throw ConfigError.field(
        field,
        `${field} must be a positive number of milliseconds, got ${value}`,
        'readiness options',
      );
  };
  positive(options.timeoutMs, 'timeoutMs');
  positive(options.attemptTimeoutMs, 'attemptTimeoutMs');
  if (options.intervalMs !== undefined && (!Number.isFinite(options.intervalMs) || options.intervalMs < 0))
    throw ConfigError.field(
      'intervalMs',
      `intervalMs must be ≥ 0, got ${options.intervalMs}`,
      'readiness options',
    );
  if (probe.kind === 'http') {
    let url: URL | undefined;
    try {
      url = new URL(probe.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw ConfigError.field(
        'probe.url',
        `an HTTP probe needs an http:// or https:// URL, got "${probe.url}"`,
        'readiness probe',
      );
  } else if (!Number.isInteger(probe.port) || probe.port < 1 || probe.port > 65535) {
    throw ConfigError.field(
      'probe.port',
      `a TCP probe port is an integer 1–65535, got ${probe.port}`,
      'readiness probe',
    );
  }
}

/** The low-level reason of a failed fetch/connect, e.g. `connect ECONNREFUSED 127.0.0.1:8080`. */
function describeError(error: unknown): string {
  let current: unknown = error;
  // fetch wraps the socket error: TypeError('fetch failed', { cause: Error('connect ECONNREFUSED …') }).
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

async function httpAttempt(
  probe: HttpProbe,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Attempt> {
  const attemptSignal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(probe.url, {
      signal: signal ? AbortSignal.any([signal, attemptSignal]) : attemptSignal,
      redirect: 'manual',
      headers: { 'user-agent': 'kubernaut-e2e-readiness' },
    });
    const ok = probe.expectStatus
      ? probe.expectStatus.includes(response.status)
      : response.status >= 200 && response.status < 400;
    if (ok) {
      await response.body?.cancel().catch(() => {});
      return { ok: true };
    }
    const body = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim();
    const snippet = body.length > BODY_SNIPPET_CHARS ? `${body.slice(0, BODY_SNIPPET_CHARS)}…` : body;
    return {
      ok: false,
      observation: `HTTP ${response.status}${snippet ? ` "${snippet}"` : ' (empty body)'}`,
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    if (attemptSignal.aborted)
      return { ok: false, observation: `no response within ${timeoutMs} ms`, timedOut: true };
    return { ok: false, observation: describeError(error) };
  }
}

function tcpAttempt(probe: TcpProbe, timeoutMs: number, signal: AbortSignal | undefined): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: probe.host, port: probe.port });
    const finish = (result: Attempt | Error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onAbort = () => finish(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    const timer = setTimeout(
      () => finish({ ok: false, observation: `no connection within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('connect', () => finish({ ok: true }));
    socket.once('error', (error) => finish({ ok: false, observation: describeError(error) }));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The `ReadinessProber` port: polls an HTTP endpoint (ready on 2xx/3xx or the expected statuses) or dials
 * a TCP port until it answers. Each attempt has its own timeout, attempts are `intervalMs` apart, and the
 * whole wait ends at `timeoutMs` with a `NotReadyError` that names the endpoint and the last response
 * seen (status and body snippet, or the connect error).
 */
export function createReadinessProber(options: ReadinessProberOptions = {}): ReadinessProber {
  const clock = options.clock ?? wallClock;
  return {
    async waitUntilReady(probe: Probe, readiness: ReadinessOptions, ctx?: OperationContext): Promise<void> {
      validate(probe, readiness);
      const signal = ctx?.signal;
      const attemptTimeoutMs =
        readiness.attemptTimeoutMs ?? Math.min(DEFAULT_ATTEMPT_TIMEOUT_MS, readiness.timeoutMs);
      const intervalMs = readiness.intervalMs ?? DEFAULT_INTERVAL_MS;
      const started = clock.now();
      const deadline = started + readiness.timeoutMs;
      let attempts = 0;
      let last = 'no attempt finished';
      const cancelled = () =>
        new CancelledError(`waiting for ${describeProbe(probe)} was cancelled`, { cause: signal?.reason });

      for (;;) {
        if (signal?.aborted) throw cancelled();
        const remaining = Math.max(1, Math.ceil(deadline - clock.now()));
        const perAttempt = Math.min(attemptTimeoutMs, remaining);
        attempts++;
        let result: Attempt;
        try {
          result =
            probe.kind === 'http'
              ? await httpAttempt(probe, perAttempt, signal)
              : await tcpAttempt(probe, perAttempt, signal);
        } catch (error) {
          if (signal?.aborted) throw cancelled();
          throw error;
        }
        if (result.ok) return;
        // An attempt the overall deadline cut short says nothing new about the endpoint: keep the
        // earlier, real answer (e.g. "HTTP 503 …") as the last thing seen.
        const clipped = result.timedOut === true && perAttempt < attemptTimeoutMs;
        if (!clipped || attempts === 1) last = result.observation;
        if (clock.now() + intervalMs >= deadline) break;
        try {
          await clock.sleep(intervalMs, signal);
        } catch (error) {
          if (signal?.aborted) throw cancelled();
          throw error;
        }
      }
      const elapsed = Math.round(clock.now() - started);
      throw new NotReadyError(
        describeProbe(probe),
        `${last} (after ${attempts} attempt${attempts === 1 ? '' : 's'} over ${elapsed} ms)`,
      );
    },
  };
}
