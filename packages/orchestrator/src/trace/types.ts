import type { StepOutcome } from '@kubernaut-e2e/core';
import type { Pattern, StepKind, StepResource } from '../plan/types.js';

/** What happened to one step of a run. Times are milliseconds since the run started, on the run's clock. */
export interface TraceStep {
  readonly id: string;
  readonly kind: StepKind;
  readonly label: string;
  readonly resource: StepResource;
  readonly deps: readonly string[];
  readonly outcome: StepOutcome;
  /** First attempt's start; absent when the step never started. */
  readonly start?: number;
  readonly end?: number;
  /** Number of the last attempt: 1 without retries, 0 when the step never started. */
  readonly attempt: number;
  readonly error?: { readonly code?: string; readonly message: string };
  /** Load steps that went into the same archive (including this one), when more than one. */
  readonly batch?: readonly string[];
  /** Why a step was skipped or what it found (e.g. `cached`, `kept: keep=on-failure`). */
  readonly note?: string;
}

/** The record of a run: every plan step with its timing and outcome. All outputs render from this. */
export interface Trace {
  readonly service: string;
  readonly pattern: Pattern;
  /** Setup makespan: end of the last non-teardown step (ms since the run started). */
  readonly makespanMs: number;
  readonly steps: readonly TraceStep[];
}
