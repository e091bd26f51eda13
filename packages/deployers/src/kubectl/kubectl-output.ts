import { CommandError } from '@kubernaut-e2e/core';

/**
 * kubectl's messages when a wait ran out of time or a rollout can no longer finish. Both mean "deployed
 * but not ready", which callers handle differently from "kubectl could not talk to the cluster".
 *  - `rollout status`: `error: timed out waiting for the condition`
 *  - `wait`:           `error: timed out waiting for the condition on deployments/x`
 *  - `rollout status` after `progressDeadlineSeconds`: `error: deployment "x" exceeded its progress deadline`
 */
const NOT_READY_PATTERNS = [/timed out waiting for the condition/i, /exceeded its progress deadline/i];

export function isNotReadyFailure(error: unknown): error is CommandError {
  if (!(error instanceof CommandError)) return false;
  if (error.timedOut) return true;
  return error.stderrTail.some((line) => NOT_READY_PATTERNS.some((p) => p.test(line)));
}

/** Keeps the last few lines a command printed, to report what kubectl saw last. */
export class LastLines {
  readonly #max: number;
  readonly #lines: string[] = [];

  constructor(max = 5) {
    this.#max = max;
  }

  push(text: string): void {
    for (const line of text.split('\n')) {
      const trimmed = line.trimEnd();
      if (!trimmed) continue;
      this.#lines.push(trimmed);
      if (this.#lines.length > this.#max) this.#lines.shift();
    }
  }

  get lines(): readonly string[] {
    return this.#lines;
  }
}
