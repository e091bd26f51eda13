import type { z } from 'zod';
import { grammarSchema } from './grammar.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

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
export const kubeNameSchema: z.ZodType<string, string> = grammarSchema(
  'a valid Kubernetes name',
  'use 1–63 lower-case letters, digits or `-`, starting and ending with a letter or digit (e.g. `gateway-e2e`)',
  (value) => labelProblem(value, 63),
);

/**
 * A kind cluster name. kind names the node containers `<name>-control-plane` / `<name>-worker2` and those
 * become node hostnames (DNS labels ≤ 63), so the name itself is limited to 50 characters — kind's own
 * limit — and must be a DNS-1123 label.
 */
export const clusterNameSchema: z.ZodType<string, string> = grammarSchema(
  'a valid kind cluster name',
  'use 1–50 lower-case letters, digits or `-`, starting and ending with a letter or digit (e.g. `gateway-e2e`)',
  (value) => labelProblem(value, 50),
);
