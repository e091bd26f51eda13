import { ConfigError } from '@kubernaut-e2e/core';
import type { StepKind } from '@kubernaut-e2e/orchestrator';

/** Step kinds a deadline can be given for (`teardown` has its own, the finalizers'). */
export const TIMED_STEP_KINDS = [
  'build',
  'create-cluster',
  'install-crds',
  'namespace',
  'load',
  'manifests',
  'deploy',
  'migrate',
  'wait-ready',
  'seed',
] as const satisfies readonly StepKind[];

export type StepTimeouts = Partial<Record<(typeof TIMED_STEP_KINDS)[number], number>>;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * `KUBERNAUT_E2E_STEP_TIMEOUTS`: a deadline per step kind, e.g. `build=15m,load=2m,wait-ready=5m`. A step still
 * running at its deadline is cancelled (its commands stopped, what it made removed) and the run fails naming it.
 * Unset kinds have no deadline of their own (their commands' timeouts still apply). Refuses anything else, so a
 * typo never silently means "no deadline".
 */
export function stepTimeoutsFromEnvironment(env: NodeJS.ProcessEnv): StepTimeouts | undefined {
  const value = env.KUBERNAUT_E2E_STEP_TIMEOUTS?.trim();
  if (!value) return undefined;
  const timeouts: StepTimeouts = {};
  for (const item of value.split(',')) {
    const match = /^\s*([a-z-]+)\s*=\s*(\d+)(ms|s|m|h)\s*$/.exec(item);
    const kind = match?.[1] as (typeof TIMED_STEP_KINDS)[number] | undefined;
    const ms = match ? Number(match[2]) * UNIT_MS[match[3]!]! : 0;
    if (!match || !kind || !TIMED_STEP_KINDS.includes(kind) || ms <= 0) {
      throw ConfigError.field(
        'KUBERNAUT_E2E_STEP_TIMEOUTS',
        `cannot read "${item.trim()}"; give <step kind>=<duration> pairs separated by commas, e.g. build=15m,load=90s (kinds: ${TIMED_STEP_KINDS.join(', ')}; units ms, s, m, h)`,
        'environment',
      );
    }
    timeouts[kind] = ms;
  }
  return timeouts;
}
