/**
 * The Kubernetes and kind name rules as plain functions, without zod: the schemas in `kube-names.ts` are built on
 * them, and a command line checks a `--cluster-name` with them before it loads anything heavy
 * (`@kubernaut-e2e/core/names`).
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A name rule: what the value must be, the allowed form a user should write, and the check itself. */
export interface NameRule {
  readonly what: string;
  readonly allowed: string;
  /** Why `value` breaks the rule (e.g. `it is empty`), or `undefined` when it follows it. */
  readonly problem: (value: string) => string | undefined;
}

/** Why `value` is not a DNS-1123 label of at most `max` characters, or `undefined`. */
function labelProblem(value: string, max: number): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > max) return `it has ${value.length} characters, at most ${max} are allowed`;
  if (/[A-Z]/.test(value)) return 'it contains upper-case letters';
  if (!DNS_LABEL.test(value)) {
    if (/^-|-$/.test(value)) return 'it starts or ends with `-`';
    return 'it contains characters other than a-z, 0-9 and `-`';
  }
  return undefined;
}

/** A Kubernetes object name / namespace: a DNS-1123 label (lower-case alphanumerics and `-`, ≤ 63). */
export const KUBE_NAME_RULE: NameRule = {
  what: 'a valid Kubernetes name',
  allowed:
    'use 1–63 lower-case letters, digits or `-`, starting and ending with a letter or digit (e.g. `gateway-e2e`)',
  problem: (value) => labelProblem(value, 63),
};

/**
 * A kind cluster name. kind names the node containers `<name>-control-plane` / `<name>-worker2` and those
 * become node hostnames (DNS labels ≤ 63), so the name itself is limited to 50 characters — kind's own
 * limit — and must be a DNS-1123 label.
 */
export const CLUSTER_NAME_RULE: NameRule = {
  what: 'a valid kind cluster name',
  allowed:
    'use 1–50 lower-case letters, digits or `-`, starting and ending with a letter or digit (e.g. `gateway-e2e`)',
  problem: (value) => labelProblem(value, 50),
};

/** The message a `ConfigError` carries when `value` breaks `rule` (the schemas' message), or `undefined`. */
export function nameRuleViolation(rule: NameRule, value: string): string | undefined {
  const problem = rule.problem(value);
  return problem === undefined
    ? undefined
    : `${JSON.stringify(value)} is not ${rule.what} (${problem}): ${rule.allowed}`;
}

export { registryAddressProblem } from './registry-address-rule.js';
