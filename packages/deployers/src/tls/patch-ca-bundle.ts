import {
  ConfigError,
  type JsonPatchOperation,
  type KubeClient,
  type OperationContext,
  parseInput,
} from '@kubernaut-e2e/core';
import { z } from 'zod';

const caBundleTargetSchema = z.object({
  kind: z.enum(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']),
  name: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'a webhook configuration name is a DNS subdomain'),
  /** How many entries the configuration's `webhooks` list has; each gets the CA. */
  webhookCount: z.int().min(1, 'webhookCount is at least 1').max(100),
});
export type CaBundleTarget = z.input<typeof caBundleTargetSchema>;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** The JSON patch that sets `caBundle` (base64 of the PEM) on webhooks 0…n-1. */
export function caBundlePatch(webhookCount: number, caPem: string): JsonPatchOperation[] {
  const value = Buffer.from(caPem, 'utf8').toString('base64');
  // `add` on an existing member replaces it (RFC 6902 §4.1), so this works whether or not a caBundle is set.
  return Array.from({ length: webhookCount }, (_, i) => ({
    op: 'add' as const,
    path: `/webhooks/${i}/clientConfig/caBundle`,
    value,
  }));
}

/**
 * Writes the CA into every webhook of a Mutating/ValidatingWebhookConfiguration with a JSON patch, so the
 * API server trusts the webhook's serving certificate.
 */
export async function patchWebhookCaBundle(
  kube: KubeClient,
  target: CaBundleTarget,
  caPem: string,
  ctx?: OperationContext,
): Promise<void> {
  const t = parseInput(caBundleTargetSchema, target, 'webhook CA bundle target');
  if (!PEM_CERTIFICATE.test(caPem))
    throw ConfigError.field(
      'caPem',
      'the CA must be a PEM certificate (-----BEGIN CERTIFICATE----- …)',
      'webhook CA bundle',
    );
  await kube.patch(`${t.kind.toLowerCase()}/${t.name}`, undefined, caBundlePatch(t.webhookCount, caPem), ctx);
}
