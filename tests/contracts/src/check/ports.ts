import { ContractsError, ContractsErrorCode } from '../errors.js';
import type { BinaryFacts, PortRole } from '../facts/types.js';
import type { Issue } from './check-config.js';
import { valueAt } from './check-config.js';
import { portOf } from './values.js';

export interface EffectivePort {
  /** The port, or null when the binary serves nothing there (no default, or disabled with "0"). */
  readonly port: number | null;
  /** Whether the rendered config set it, or the binary's default applies. */
  readonly source: 'config' | 'default';
  /** The config key or the cited default. */
  readonly from: string;
}

/**
 * The port a binary serves `role` on, given the config it is started with: the value at the port's config key
 * when the rendered config sets one (`:8081`, `0.0.0.0:8081`, `8081`; `"0"` disables), else the recorded
 * default. Undefined when the facts record no such port for the binary.
 */
export function effectivePort(
  facts: BinaryFacts,
  role: PortRole,
  rendered?: unknown,
): EffectivePort | undefined {
  const fact = facts.ports[role];
  if (!fact) return undefined;
  const set = fact.configKey === undefined ? undefined : valueAt(rendered, fact.configKey);
  if (fact.configKey !== undefined && (typeof set === 'number' || (typeof set === 'string' && set !== ''))) {
    const port = set === '0' ? null : portOf(set);
    if (port === undefined)
      throw new ContractsError(
        ContractsErrorCode.Usage,
        `${fact.configKey}: ${JSON.stringify(set)} is not a listen address with a port`,
      );
    return { port, source: 'config', from: fact.configKey };
  }
  return { port: fact.value, source: 'default', from: `${fact.at}: ${fact.quote}` };
}

/**
 * Whether `port` (a probe's, a Service's target port) is where the binary serves `role` given the rendered
 * config. Issues say what the binary serves there and where that comes from.
 */
export function checkPort(facts: BinaryFacts, role: PortRole, port: number, rendered?: unknown): Issue[] {
  const fact = facts.ports[role];
  const path = fact?.configKey ?? `(${role} port)`;
  if (!fact)
    return [{ path, message: `${facts.binary} has no ${role} port (none is recorded in its facts)` }];
  let effective: EffectivePort;
  try {
    effective = effectivePort(facts, role, rendered)!;
  } catch (error) {
    return [{ path, message: (error as Error).message }];
  }
  const origin =
    effective.source === 'config' ? `set by ${effective.from}` : `its default, ${effective.from}`;
  if (effective.port === null)
    return [
      { path, message: `${facts.binary} serves no ${role} port (${origin}), so nothing answers on ${port}` },
    ];
  if (effective.port !== port)
    return [
      {
        path,
        message: `${facts.binary} serves ${fact.serves} on ${effective.port} (${origin}), not on ${port}`,
      },
    ];
  return [];
}

/** `checkPort(facts, 'health', …)`: the port a liveness/readiness probe must use for /healthz and /readyz. */
export function checkProbePort(facts: BinaryFacts, port: number, rendered?: unknown): Issue[] {
  return checkPort(facts, 'health', port, rendered);
}
