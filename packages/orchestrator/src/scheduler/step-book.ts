import { type Clock, type EventStream, PlanError, type StepOutcome } from '@kubernaut-e2e/core';
import type { Plan, PlanStep } from '../plan/types.js';
import type { Trace, TraceStep } from '../trace/types.js';
import { messageOf } from './abortable.js';

type Status = 'pending' | 'running' | StepOutcome;

interface StepRecord {
  status: Status;
  start?: number;
  end?: number;
  attempts: number;
  error?: { code?: string; message: string };
  batch?: readonly string[];
  note?: string;
}

function errorSummary(error: unknown): { code?: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { code, message: messageOf(error) } : { message: messageOf(error) };
}

/**
 * What happened to every step of one run, kept as it happens and emitted as `step-started` /
 * `step-finished` events; becomes the run's `Trace`. Times are ms since the run started.
 */
export class StepBook {
  readonly #records: Map<string, StepRecord>;
  readonly #t0: number;

  constructor(
    private readonly plan: Plan,
    private readonly clock: Clock,
    private readonly events?: EventStream,
  ) {
    this.#t0 = clock.now();
    this.#records = new Map(plan.steps.map((s) => [s.id, { status: 'pending', attempts: 0 }]));
  }

  /** Milliseconds since the run started. */
  elapsed(): number {
    return this.clock.now() - this.#t0;
  }

  status(id: string): Status | undefined {
    return this.#records.get(id)?.status;
  }

  attempts(id: string): number {
    return this.#records.get(id)?.attempts ?? 0;
  }

  end(id: string): number | undefined {
    return this.#records.get(id)?.end;
  }

  /** Marks a unit (one step, or a batch of loads) as running from now. */
  begin(unit: readonly PlanStep[]): void {
    const start = this.elapsed();
    for (const step of unit) {
      const rec = this.#get(step.id);
      rec.status = 'running';
      rec.start = start;
      if (unit.length > 1) rec.batch = unit.map((s) => s.id);
    }
  }

  /** Counts an attempt and emits `step-started`. */
  attempt(step: PlanStep, attempt: number): void {
    this.#get(step.id).attempts = attempt;
    this.events?.emit({
      type: 'step-started',
      stepId: step.id,
      kind: step.kind,
      label: step.label,
      attempt,
      at: this.clock.now(),
    });
  }

  note(id: string, text: string): void {
    this.#get(id).note = text;
  }

  /** Records the outcome (ending the step now if it started) and emits `step-finished`. */
  finish(step: PlanStep, outcome: StepOutcome, error?: unknown): void {
    const rec = this.#get(step.id);
    rec.status = outcome;
    if (rec.start !== undefined) rec.end = this.elapsed();
    if (error !== undefined) rec.error = errorSummary(error);
    this.events?.emit({
      type: 'step-finished',
      stepId: step.id,
      kind: step.kind,
      outcome,
      attempt: rec.attempts,
      at: this.clock.now(),
      ...(rec.error ? { error: rec.error } : {}),
    });
  }

  toTrace(makespanMs: number): Trace {
    return {
      service: this.plan.service,
      pattern: this.plan.pattern,
      makespanMs,
      steps: this.plan.steps.map((step): TraceStep => {
        const rec = this.#get(step.id);
        return {
          id: step.id,
          kind: step.kind,
          label: step.label,
          resource: step.resource,
          deps: step.deps,
          outcome: rec.status === 'pending' || rec.status === 'running' ? 'skipped' : rec.status,
          ...(rec.start === undefined ? {} : { start: rec.start }),
          ...(rec.end === undefined ? {} : { end: rec.end }),
          attempt: rec.attempts,
          ...(rec.error ? { error: rec.error } : {}),
          ...(rec.batch ? { batch: rec.batch } : {}),
          ...(rec.note === undefined ? {} : { note: rec.note }),
        };
      }),
    };
  }

  #get(id: string): StepRecord {
    const rec = this.#records.get(id);
    if (!rec) throw new PlanError(`step "${id}" is not part of the plan`);
    return rec;
  }
}
