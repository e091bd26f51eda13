import { webcrypto } from 'node:crypto';
import { kubeNameSchema, parseInput } from '@kubernaut-e2e/core';
import { z } from 'zod';

export const webhookCertificateOptionsSchema = z.object({
  /** The webhook's Service name. */
  serviceName: kubeNameSchema,
  namespace: kubeNameSchema,
  /** How long both certificates are valid; a test run needs hours, so the default is 7 days. */
  validityDays: z
    .int()
    .min(1, 'validityDays is at least 1')
    .max(3650, 'validityDays is at most 3650')
    .default(7),
  /** ECDSA P-256 (default: fast, accepted by the API server and Go's TLS) or RSA 2048. */
  keyAlgorithm: z.enum(['ecdsa-p256', 'rsa-2048']).default('ecdsa-p256'),
});
export type WebhookCertificateOptions = z.input<typeof webhookCertificateOptionsSchema>;

/** A CA and a serving certificate, as PEM strings held in memory only. */
export interface WebhookCertificates {
  /** CA certificate: goes into the webhook configurations' `caBundle` and the Secret's `ca.crt`. */
  readonly caCertificatePem: string;
  /** Serving certificate (`tls.crt`), signed by the CA. */
  readonly certificatePem: string;
  /** Serving key (`tls.key`), PKCS#8. */
  readonly privateKeyPem: string;
  /** DNS names in the serving certificate's subjectAltName. */
  readonly dnsNames: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Issued certificates start this far in the past, so a node whose clock lags a little accepts them. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The four names a client inside the cluster may use for `svc` in `ns`. */
export function webhookDnsNames(serviceName: string, namespace: string): string[] {
  return [
    serviceName,
    `${serviceName}.${namespace}`,
    `${serviceName}.${namespace}.svc`,
    `${serviceName}.${namespace}.svc.cluster.local`,
  ];
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // positive INTEGER, as RFC 5280 requires
  return Buffer.from(bytes).toString('hex');
}

/**
 * Generates, in process with WebCrypto, a CA and a serving certificate for an admission webhook Service
 * (SANs `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`). Nothing touches the file system:
 * put the result in a Secret with `webhookTlsSecret` and the CA into the webhook configurations with
 * `patchWebhookCaBundle`.
 */
export async function generateWebhookCertificates(
  options: WebhookCertificateOptions,
): Promise<WebhookCertificates> {
  const o = parseInput(webhookCertificateOptionsSchema, options, 'webhook certificate options');
  const crypto = webcrypto;
  const algorithm =
    o.keyAlgorithm === 'ecdsa-p256'
      ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
      : {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        };
  // Whole seconds: X.509 times have second precision, so the returned dates equal the certificate's.
  const now = Math.floor(Date.now() / 1000) * 1000;
  const notBefore = new Date(now - CLOCK_SKEW_MS);
  const notAfter = new Date(now + o.validityDays * 86_400_000);
  const dnsNames = webhookDnsNames(o.serviceName, o.namespace);
  // Loaded here, not with the package (after the validity is fixed from the time of the call): it is the heaviest
  // library the deployers use, and only webhooks need it.
  const x509 = await import('@peculiar/x509');

  const caKeys = (await crypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: `CN=${o.serviceName}.${o.namespace} webhook CA, O=kubernaut-e2e`,
      notBefore,
      notAfter,
      keys: caKeys,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );

  const servingKeys = (await crypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const serving = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: `CN=${dnsNames[2]}, O=kubernaut-e2e`,
      issuer: ca.subject,
      notBefore,
      notAfter,
      publicKey: servingKeys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(
          dnsNames.map((value) => ({ type: 'dns' as const, value })),
          false,
        ),
        await x509.SubjectKeyIdentifierExtension.create(servingKeys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );

  const pkcs8 = await crypto.subtle.exportKey('pkcs8', servingKeys.privateKey);
  return {
    caCertificatePem: ca.toString('pem'),
    certificatePem: serving.toString('pem'),
    privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    dnsNames,
    notBefore,
    notAfter,
  };
}
