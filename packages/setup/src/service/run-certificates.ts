import type { KubeObject } from '@kubernaut-e2e/core';
import {
  type CertificateAuthority,
  createCertificateAuthority,
  createSelfSignedCertificate,
  type IssuedCertificate,
  serviceDnsNames,
} from '@kubernaut-e2e/deployers/internal';
import type { Located } from './compose.js';
import type { CertificateSpec } from './spec/parts.js';
import type { RunContext } from './spec/run-context.js';

const base64 = (pem: string) => Buffer.from(pem.endsWith('\n') ? pem : `${pem}\n`, 'utf8').toString('base64');

/** A `kubernetes.io/tls` Secret: `tls.crt`, `tls.key` and the issuing CA as `ca.crt`. */
export function tlsSecret(name: string, namespace: string, certificate: IssuedCertificate): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'kubernaut-e2e' } },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': base64(certificate.certificatePem),
      'tls.key': base64(certificate.privateKeyPem),
      'ca.crt': base64(certificate.caCertificatePem),
    },
  };
}

/** The run's CA, made when a certificate is signed by it (a `serves` entry); ECDSA P-256 as kubernaut's. */
export async function createRunCa(
  certificates: readonly Located<CertificateSpec>[],
): Promise<CertificateAuthority | undefined> {
  return certificates.some(({ value }) => 'serves' in value)
    ? createCertificateAuthority({ commonName: 'kubernaut-inter-service-ca' })
    : undefined;
}

/**
 * Makes the run's certificates in process, as kubernaut's Go setup does (`GenerateInterServiceTLS`,
 * `GenerateSigningCertSecret`): the `inter-service-ca` ConfigMap (`ca.crt`) when there is a CA, a serving
 * certificate for each `serves` entry (SANs `localhost`, `127.0.0.1` and the Service's DNS names) and the
 * self-signed ones; each in its `kubernetes.io/tls` Secret.
 */
export async function issueRunCertificates(
  certificates: readonly Located<CertificateSpec>[],
  ca: CertificateAuthority | undefined,
  run: RunContext,
  serviceNameOf: (component: string) => string,
): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  if (ca) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: run.ca.configMap,
        namespace: run.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'kubernaut-e2e' },
      },
      data: { [run.ca.key]: ca.certificatePem },
    });
  }
  for (const { value } of certificates) {
    const certificate =
      'serves' in value
        ? await ca!.issue({
            commonName: serviceNameOf(value.serves),
            dnsNames: ['localhost', ...serviceDnsNames(serviceNameOf(value.serves), run.namespace)],
            ipAddresses: ['127.0.0.1'],
          })
        : await createSelfSignedCertificate({
            commonName: value.selfSigned.commonName,
            dnsNames: value.selfSigned.dnsNames ?? [],
            keyAlgorithm: value.selfSigned.keyAlgorithm ?? 'ecdsa-p256',
            usages: ['signing'],
          });
    objects.push(tlsSecret(value.secret, run.namespace, certificate));
  }
  return objects;
}
