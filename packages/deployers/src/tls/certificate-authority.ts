import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { ConfigError } from '@kubernaut-e2e/core';

/** ECDSA P-256 (what kubernaut's Go setup issues: fast, accepted by Go's TLS) or RSA 2048 (its signing key). */
export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048';

/** A certificate and its key, as PEM strings held in memory only. */
export interface IssuedCertificate {
  readonly certificatePem: string;
  /** PKCS#8 (`-----BEGIN PRIVATE KEY-----`), which Go's `tls.X509KeyPair` reads for both key types. */
  readonly privateKeyPem: string;
  /** The issuing CA's certificate (the certificate itself when self-signed). */
  readonly caCertificatePem: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** What a leaf certificate is for: a server's TLS, a client's, or signing (e.g. DataStorage's audit exports). */
export type CertificateUsage = 'server' | 'client' | 'signing';

export interface CertificateRequest {
  readonly commonName: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly keyAlgorithm?: KeyAlgorithm;
  /** `server` when omitted. */
  readonly usages?: readonly CertificateUsage[];
}

/** A CA made for one run; it signs every serving certificate of the run. */
export interface CertificateAuthority {
  readonly certificatePem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  issue(request: CertificateRequest): Promise<IssuedCertificate>;
}

export interface CertificateAuthorityOptions {
  readonly commonName: string;
  /** How long the CA and what it issues are valid; a test run needs hours, so the default is 7 days. */
  readonly validityDays?: number;
  readonly keyAlgorithm?: KeyAlgorithm;
}

/** Certificates start this far in the past, so a node whose clock lags a little accepts them. */
const CLOCK_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

function algorithmOf(key: KeyAlgorithm) {
  return key === 'ecdsa-p256'
    ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
    : {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      };
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // a positive INTEGER, as RFC 5280 requires
  return Buffer.from(bytes).toString('hex');
}

function validity(validityDays: number): { notBefore: Date; notAfter: Date } {
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > 3650) {
    throw ConfigError.field('validityDays', 'a whole number of days from 1 to 3650', 'certificate options');
  }
  // Whole seconds: X.509 times have second precision, so the returned dates equal the certificate's.
  const now = Math.floor(Date.now() / 1000) * 1000;
  return { notBefore: new Date(now - CLOCK_SKEW_MS), notAfter: new Date(now + validityDays * DAY_MS) };
}

function checkRequest(request: CertificateRequest): void {
  if (!request.commonName) throw ConfigError.field('commonName', 'a non-empty name', 'certificate request');
  (request.ipAddresses ?? []).forEach((ip, i) => {
    if (isIP(ip) === 0)
      throw ConfigError.field(`ipAddresses[${i}]`, `"${ip}" is not an IP address`, 'certificate request');
  });
}

type X509 = typeof import('@peculiar/x509');
// Loaded on first use, not with the package: it is the heaviest library the deployers use.
let x509Module: Promise<X509> | undefined;
const loadX509 = () => {
  x509Module ??= import('@peculiar/x509');
  return x509Module;
};

async function leafExtensions(
  x509: X509,
  request: CertificateRequest,
  publicKey: webcrypto.CryptoKey,
  issuerKey: webcrypto.CryptoKey | undefined,
) {
  const usages = request.usages ?? ['server'];
  const names = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extended = [
    ...(usages.includes('server') ? [x509.ExtendedKeyUsage.serverAuth] : []),
    ...(usages.includes('client') ? [x509.ExtendedKeyUsage.clientAuth] : []),
  ];
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature |
        (usages.includes('signing') ? x509.KeyUsageFlags.nonRepudiation : x509.KeyUsageFlags.keyEncipherment),
      true,
    ),
    ...(extended.length > 0 ? [new x509.ExtendedKeyUsageExtension(extended, false)] : []),
    ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names, false)] : []),
    await x509.SubjectKeyIdentifierExtension.create(publicKey, false, webcrypto),
    ...(issuerKey ? [await x509.AuthorityKeyIdentifierExtension.create(issuerKey, false, webcrypto)] : []),
  ];
}

async function generateKeys(algorithm: KeyAlgorithm): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithmOf(algorithm), true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
}

async function pkcs8Pem(x509: X509, key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/**
 * Makes a CA in process with WebCrypto (nothing touches the file system), as kubernaut's Go setup makes its
 * inter-service CA (`test/infrastructure/interservice_tls.go`: ECDSA P-256, `IsCA`, cert-sign and CRL-sign).
 * Every certificate it issues shares its validity.
 */
export async function createCertificateAuthority(
  options: CertificateAuthorityOptions,
): Promise<CertificateAuthority> {
  if (!options.commonName) throw ConfigError.field('commonName', 'a non-empty name', 'certificate authority');
  const keyAlgorithm = options.keyAlgorithm ?? 'ecdsa-p256';
  const { notBefore, notAfter } = validity(options.validityDays ?? 7);
  const x509 = await loadX509();
  const keys = await generateKeys(keyAlgorithm);
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: `CN=${options.commonName}, O=kubernaut-e2e`,
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: algorithmOf(keyAlgorithm),
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  const certificatePem = ca.toString('pem');
  return {
    certificatePem,
    notBefore,
    notAfter,
    async issue(request) {
      checkRequest(request);
      const leafKeys = await generateKeys(request.keyAlgorithm ?? keyAlgorithm);
      const leaf = await x509.X509CertificateGenerator.create(
        {
          serialNumber: randomSerial(),
          subject: `CN=${request.commonName}, O=kubernaut-e2e`,
          issuer: ca.subject,
          notBefore,
          notAfter,
          publicKey: leafKeys.publicKey,
          signingKey: keys.privateKey,
          signingAlgorithm: algorithmOf(keyAlgorithm),
          extensions: await leafExtensions(x509, request, leafKeys.publicKey, keys.publicKey),
        },
        webcrypto,
      );
      return {
        certificatePem: leaf.toString('pem'),
        privateKeyPem: await pkcs8Pem(x509, leafKeys.privateKey),
        caCertificatePem: certificatePem,
        dnsNames: [...(request.dnsNames ?? [])],
        ipAddresses: [...(request.ipAddresses ?? [])],
        notBefore,
        notAfter,
      };
    },
  };
}

/**
 * A self-signed certificate that is not a CA, e.g. DataStorage's audit-export signing certificate (kubernaut's
 * `GenerateSigningCertSecret`: RSA 2048, CN `datastorage-signing`, SAN `localhost`).
 */
export async function createSelfSignedCertificate(
  request: CertificateRequest & { readonly validityDays?: number },
): Promise<IssuedCertificate> {
  checkRequest(request);
  const keyAlgorithm = request.keyAlgorithm ?? 'ecdsa-p256';
  const { notBefore, notAfter } = validity(request.validityDays ?? 7);
  const x509 = await loadX509();
  const keys = await generateKeys(keyAlgorithm);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: `CN=${request.commonName}, O=kubernaut-e2e`,
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: algorithmOf(keyAlgorithm),
      extensions: await leafExtensions(x509, request, keys.publicKey, undefined),
    },
    webcrypto,
  );
  const certificatePem = certificate.toString('pem');
  return {
    certificatePem,
    privateKeyPem: await pkcs8Pem(x509, keys.privateKey),
    caCertificatePem: certificatePem,
    dnsNames: [...(request.dnsNames ?? [])],
    ipAddresses: [...(request.ipAddresses ?? [])],
    notBefore,
    notAfter,
  };
}

/** The names a client may use for Service `name` in `namespace`: short, namespaced, `.svc`, and the FQDN. */
export function serviceDnsNames(name: string, namespace: string): string[] {
  return [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`];
}
