import { type KubeObject, kubeNameSchema, parseInput } from '@kubernaut-e2e/core';
import { z } from 'zod';
import { MANAGED_BY_LABEL } from '../manifests/objects.js';
import type { WebhookCertificates } from './webhook-certificates.js';

const secretOptionsSchema = z.object({ name: kubeNameSchema, namespace: kubeNameSchema });

const toBase64 = (pem: string) =>
  Buffer.from(pem.endsWith('\n') ? pem : `${pem}\n`, 'utf8').toString('base64');

/**
 * A `kubernetes.io/tls` Secret holding the serving certificate and key (`tls.crt`, `tls.key`) and the CA
 * (`ca.crt`), for the webhook Deployment to mount.
 */
export function webhookTlsSecret(
  options: { readonly name: string; readonly namespace: string },
  certificates: WebhookCertificates,
): KubeObject {
  const o = parseInput(secretOptionsSchema, options, 'webhook TLS secret options');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: o.name, namespace: o.namespace, labels: { ...MANAGED_BY_LABEL } },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': toBase64(certificates.certificatePem),
      'tls.key': toBase64(certificates.privateKeyPem),
      'ca.crt': toBase64(certificates.caCertificatePem),
    },
  };
}
