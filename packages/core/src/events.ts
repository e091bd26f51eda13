import type { LogLine, LogSink } from './ports/log-sink.js';

export type StepOutcome = 'succeeded' | 'failed' | 'cancelled' | 'skipped';

export type RunEvent =
  | {
      readonly type: 'step-started';
      readonly stepId: string;
      readonly kind: string;
      readonly label: string;
      readonly attempt: number;
      readonly at: number;
    }
  | {
      readonly type: 'step-finished';
      readonly stepId: string;
      readonly kind: string;
      readonly outcome: StepOutcome;
      readonly attempt: number;
      readonly at: number;
      readonly error?: { readonly code?: string; readonly message: string };
    }
  | ({ readonly type: 'log' } & LogLine);

export type RunEventListener = (event: RunEvent) => void;

/** Typed event stream read by progress UIs, reports and tests. Listeners that throw are isolated. */
export class EventStream {
  readonly #listeners = new Set<RunEventListener>();
  readonly #history: RunEvent[] = [];

  constructor(private readonly options: { keepHistory?: boolean } = {}) {}

  emit(event: RunEvent): void {
    if (this.options.keepHistory) this.#history.push(event);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken progress display must never break the run.
      }
    }
  }

  /** Returns an unsubscribe function. */
  subscribe(listener: RunEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Events seen so far (only with `keepHistory: true`). */
  get history(): readonly RunEvent[] {
    return this.#history;
  }

  /** A `LogSink` that turns log lines into `log` events. */
  logSink(): LogSink {
    return (line) => this.emit({ type: 'log', ...line });
  }
}
