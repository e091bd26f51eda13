import type { z } from 'zod';
import { grammarSchema } from './grammar.js';
import { CLUSTER_NAME_RULE, KUBE_NAME_RULE, type NameRule } from './name-rules.js';

const ruleSchema = (rule: NameRule): z.ZodType<string, string> =>
  grammarSchema(rule.what, rule.allowed, rule.problem);

/** A Kubernetes object name / namespace: a DNS-1123 label (lower-case alphanumerics and `-`, ≤ 63). */
export const kubeNameSchema: z.ZodType<string, string> = ruleSchema(KUBE_NAME_RULE);

/**
 * A kind cluster name: a DNS-1123 label of at most 50 characters (kind's own limit; its node containers and
 * hostnames append `-control-plane`, `-worker2`).
 */
export const clusterNameSchema: z.ZodType<string, string> = ruleSchema(CLUSTER_NAME_RULE);
