import type { OperationContext } from './operation-context.js';

export interface HttpProbe {
  readonly kind: 'http';
  readonly url: string;
  /** Status codes that count as ready; default 200–399. */
  readonly expectStatus?: readonly number[];
}

export interface TcpProbe {
  readonly kind: 'tcp';
  readonly host: string;
  readonly port: number;
}

export type Probe = HttpProbe | TcpProbe;

export interface ReadinessOptions {
  /** Overall deadline. */
  readonly timeoutMs: number;
  /** Timeout of one attempt. */
  readonly attemptTimeoutMs?: number;
  /** Pause between attempts. */
  readonly intervalMs?: number;
}

/** Waits until an endpoint answers; raises `NotReadyError` with the last response seen. */
export interface ReadinessProber {
  waitUntilReady(probe: Probe, options: ReadinessOptions, ctx?: OperationContext): Promise<void>;
}
