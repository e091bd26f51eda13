import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { ConfigError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import {
  createCertificateAuthority,
  createSelfSignedCertificate,
  serviceDnsNames,
} from './certificate-authority.js';

const DNS = ['localhost', ...serviceDnsNames('data-storage-service', 'kubernaut-system')];

describe('createCertificateAuthority', () => {
  it.each(['ecdsa-p256', 'rsa-2048'] as const)(
    'issues a %s CA and serving certificates node:crypto accepts, for the names asked',
    async (keyAlgorithm) => {
      const before = Date.now();
      const ca = await createCertificateAuthority({ commonName: 'run-ca', validityDays: 3, keyAlgorithm });
      const leaf = await ca.issue({
        commonName: 'data-storage-service',
        dnsNames: DNS,
        ipAddresses: ['127.0.0.1'],
      });
      const caCert = new X509Certificate(ca.certificatePem);
      const serving = new X509Certificate(leaf.certificatePem);

      expect(caCert.ca).toBe(true);
      expect(serving.ca).toBe(false);
      expect(leaf.caCertificatePem).toBe(ca.certificatePem);
      expect(serving.subjectAltName?.split(', ')).toEqual([
        ...DNS.map((d) => `DNS:${d}`),
        'IP Address:127.0.0.1',
      ]);
      for (const name of DNS) expect(serving.checkHost(name)).toBe(name);
      expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(serving.checkHost('gateway-service.kubernaut-system.svc')).toBeUndefined();

      // Signed by this CA only.
      expect(serving.checkIssued(caCert)).toBe(true);
      expect(serving.verify(caCert.publicKey)).toBe(true);
      const stranger = await createCertificateAuthority({ commonName: 'other' });
      expect(serving.verify(new X509Certificate(stranger.certificatePem).publicKey)).toBe(false);

      // Valid now (allowing a slightly slow node clock) and for the days asked.
      const from = Date.parse(serving.validFrom);
      const to = Date.parse(serving.validTo);
      expect(from).toBeLessThanOrEqual(before);
      expect(from).toBeGreaterThan(before - 10 * 60_000);
      expect(to - before).toBeGreaterThan(3 * 86_400_000 - 60_000);
      expect(to - before).toBeLessThanOrEqual(3 * 86_400_000);

      // The key is the serving certificate's, and it serves TLS.
      const key = createPrivateKey(leaf.privateKeyPem);
      expect(createPublicKey(key).export({ format: 'pem', type: 'spki' })).toBe(
        serving.publicKey.export({ format: 'pem', type: 'spki' }),
      );
      expect(serving.keyUsage ?? []).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    },
  );

  it('gives every certificate fresh keys and serials', async () => {
    const ca = await createCertificateAuthority({ commonName: 'run-ca' });
    const a = await ca.issue({ commonName: 'a', dnsNames: ['a'] });
    const b = await ca.issue({ commonName: 'a', dnsNames: ['a'] });
    expect(a.privateKeyPem).not.toBe(b.privateKeyPem);
    expect(new X509Certificate(a.certificatePem).serialNumber).not.toBe(
      new X509Certificate(b.certificatePem).serialNumber,
    );
  });

  it('refuses a validity outside 1-3650 days and an IP address that is not one, naming the field', async () => {
    const error = await createCertificateAuthority({ commonName: 'x', validityDays: 0 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe('validityDays');
    const ca = await createCertificateAuthority({ commonName: 'x' });
    const bad = await ca.issue({ commonName: 'x', ipAddresses: ['localhost'] }).catch((e: unknown) => e);
    expect((bad as ConfigError).issues[0]!.path).toBe('ipAddresses[0]');
  });
});

describe('createSelfSignedCertificate', () => {
  it('makes an RSA signing certificate that is not a CA and verifies itself', async () => {
    const signing = await createSelfSignedCertificate({
      commonName: 'datastorage-signing',
      dnsNames: ['localhost'],
      keyAlgorithm: 'rsa-2048',
      usages: ['signing'],
    });
    const cert = new X509Certificate(signing.certificatePem);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toContain('CN=datastorage-signing');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.checkPrivateKey(createPrivateKey(signing.privateKeyPem))).toBe(true);
  });
});
