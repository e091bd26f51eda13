import { CommandError } from '@kubernaut-e2e/core';

/**
 * The error a real tool would have raised for a rule the simulator enforces (a load before the cluster
 * exists, an image that was never built…): a `CommandError` with that tool's argv and message.
 */
export function toolError(argv: readonly string[], stderr: readonly string[], hint?: string): CommandError {
  return new CommandError(
    { argv, exitCode: 1, timedOut: false, stderrTail: stderr },
    hint === undefined ? { context: 'simulated' } : { context: `simulated (${hint})` },
  );
}
