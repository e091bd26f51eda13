import { CommandError } from '@kubernaut-e2e/core';
import type { FaultRule } from './fault-plan.js';

/**
 * A failure injected by a `FaultPlan`. It is a `CommandError` (code `KE_COMMAND`) with the argv and
 * error output the real tool would have produced, so callers handle it exactly like a real failure;
 * `transient` is set for `failTransient` rules.
 */
export class SimulatedFaultError extends CommandError {
  readonly fault: FaultRule;

  constructor(argv: readonly string[], stderr: readonly string[], fault: FaultRule, transient: boolean) {
    super(
      { argv, exitCode: 1, timedOut: false, stderrTail: fault.message ? [fault.message] : stderr },
      { context: `simulated ${transient ? 'transient ' : ''}fault in ${fault.op}`, transient },
    );
    this.fault = fault;
  }
}
