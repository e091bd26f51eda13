import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { ConfigError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { createKubectlClient } from '../kubectl/kubectl-client.js';
import { caBundlePatch, patchWebhookCaBundle } from './patch-ca-bundle.js';
import { generateWebhookCertificates } from './webhook-certificates.js';
import { webhookTlsSecret } from './webhook-tls-secret.js';

const DNS = [
  'authwebhook',
  'authwebhook.kubernaut-system',
  'authwebhook.kubernaut-system.svc',
  'authwebhook.kubernaut-system.svc.cluster.local',
];

describe('generateWebhookCertificates', () => {
  it.each(['ecdsa-p256', 'rsa-2048'] as const)(
    'issues a %s CA and a serving certificate node:crypto accepts',
    async (keyAlgorithm) => {
      const before = Date.now();
      const certs = await generateWebhookCertificates({
        serviceName: 'authwebhook',
        namespace: 'kubernaut-system',
        validityDays: 3,
        keyAlgorithm,
      });
      const ca = new X509Certificate(certs.caCertificatePem);
      const serving = new X509Certificate(certs.certificatePem);

      expect(ca.ca).toBe(true);
      expect(serving.ca).toBe(false);
      expect(serving.subjectAltName?.split(', ')).toEqual(DNS.map((d) => `DNS:${d}`));
      for (const name of DNS) expect(serving.checkHost(name)).toBe(name);
      expect(serving.checkHost('other.kubernaut-system.svc')).toBeUndefined();

      // Signed by the CA, and only by it.
      expect(serving.verify(ca.publicKey)).toBe(true);
      expect(serving.checkIssued(ca)).toBe(true);
      expect(ca.verify(ca.publicKey)).toBe(true);
      const stranger = await generateWebhookCertificates({
        serviceName: 'authwebhook',
        namespace: 'kubernaut-system',
      });
      expect(serving.verify(new X509Certificate(stranger.caCertificatePem).publicKey)).toBe(false);

      // Valid now (allowing for a slightly slow node clock) and for the requested days.
      const from = Date.parse(serving.validFrom);
      const to = Date.parse(serving.validTo);
      expect(from).toBeLessThanOrEqual(before);
      expect(from).toBeGreaterThan(before - 10 * 60_000);
      expect(to - before).toBeGreaterThan(3 * 86_400_000 - 60_000);
      expect(to - before).toBeLessThanOrEqual(3 * 86_400_000);
      expect(certs.notBefore.getTime()).toBe(from);
      expect(certs.notAfter.getTime()).toBe(to);

      // The private key belongs to the serving certificate.
      const key = createPrivateKey(certs.privateKeyPem);
      expect(createPublicKey(key).export({ format: 'pem', type: 'spki' })).toBe(
        serving.publicKey.export({ format: 'pem', type: 'spki' }),
      );
      expect(serving.checkPrivateKey(key)).toBe(true);
      expect(serving.keyUsage ?? []).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    },
  );

  it('gives every call fresh keys and serials', async () => {
    const a = await generateWebhookCertificates({ serviceName: 'w', namespace: 'n' });
    const b = await generateWebhookCertificates({ serviceName: 'w', namespace: 'n' });
    expect(a.privateKeyPem).not.toBe(b.privateKeyPem);
    expect(new X509Certificate(a.certificatePem).serialNumber).not.toBe(
      new X509Certificate(b.certificatePem).serialNumber,
    );
  });

  it('refuses names that are not DNS-1123 labels and a validity outside 1–3650 days', async () => {
    await expect(
      generateWebhookCertificates({ serviceName: 'Auth_Webhook', namespace: 'n' }),
    ).rejects.toBeInstanceOf(ConfigError);
    const error = await generateWebhookCertificates({
      serviceName: 'w',
      namespace: 'n',
      validityDays: 0,
    }).catch((e: unknown) => e);
    expect((error as ConfigError).issues[0]!.path).toBe('validityDays');
  });
});

describe('webhookTlsSecret', () => {
  it('is a kubernetes.io/tls Secret with tls.crt, tls.key and ca.crt', async () => {
    const certs = await generateWebhookCertificates({
      serviceName: 'authwebhook',
      namespace: 'kubernaut-system',
    });
    const secret = webhookTlsSecret({ name: 'authwebhook-tls', namespace: 'kubernaut-system' }, certs);
    expect(secret).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'authwebhook-tls', namespace: 'kubernaut-system' },
    });
    const data = secret.data as Record<string, string>;
    const decode = (k: string) => Buffer.from(data[k]!, 'base64').toString('utf8');
    expect(new X509Certificate(decode('tls.crt')).checkPrivateKey(createPrivateKey(decode('tls.key')))).toBe(
      true,
    );
    expect(new X509Certificate(decode('tls.crt')).checkIssued(new X509Certificate(decode('ca.crt')))).toBe(
      true,
    );
  });
});

describe('patchWebhookCaBundle', () => {
  it('JSON-patches the base64 CA into every webhook of the configuration (cluster-scoped: no -n)', async () => {
    const certs = await generateWebhookCertificates({
      serviceName: 'authwebhook',
      namespace: 'kubernaut-system',
    });
    const runner = new ScriptedRunner([{ match: (argv) => argv.includes('patch') }]);
    const kube = createKubectlClient({ runner, kubeconfigPath: '/kc' });
    await patchWebhookCaBundle(
      kube,
      { kind: 'MutatingWebhookConfiguration', name: 'authwebhook-mutating', webhookCount: 2 },
      certs.caCertificatePem,
    );
    const argv = runner.calls[0]!.argv;
    expect(argv.slice(0, 7)).toEqual([
      'kubectl',
      '--kubeconfig',
      '/kc',
      'patch',
      'mutatingwebhookconfiguration/authwebhook-mutating',
      '--type=json',
      '-p',
    ]);
    const ops = JSON.parse(argv[7]!) as { op: string; path: string; value: string }[];
    expect(ops.map((o) => [o.op, o.path])).toEqual([
      ['add', '/webhooks/0/clientConfig/caBundle'],
      ['add', '/webhooks/1/clientConfig/caBundle'],
    ]);
    for (const op of ops)
      expect(Buffer.from(op.value, 'base64').toString('utf8')).toBe(certs.caCertificatePem);
  });

  it('refuses a zero webhook count, an unknown kind or a non-PEM CA before running kubectl', async () => {
    const runner = new ScriptedRunner([]);
    const kube = createKubectlClient({ runner, kubeconfigPath: '/kc' });
    const pem = (await generateWebhookCertificates({ serviceName: 'w', namespace: 'n' })).caCertificatePem;
    await expect(
      patchWebhookCaBundle(kube, { kind: 'ValidatingWebhookConfiguration', name: 'v', webhookCount: 0 }, pem),
    ).rejects.toThrow(/webhookCount/);
    await expect(
      patchWebhookCaBundle(
        kube,
        { kind: 'Webhook' as 'MutatingWebhookConfiguration', name: 'v', webhookCount: 1 },
        pem,
      ),
    ).rejects.toThrow(/MutatingWebhookConfiguration/);
    await expect(
      patchWebhookCaBundle(
        kube,
        { kind: 'ValidatingWebhookConfiguration', name: 'v', webhookCount: 1 },
        'not pem',
      ),
    ).rejects.toThrow(/caPem/);
    expect(runner.calls).toHaveLength(0);
    expect(caBundlePatch(1, 'x')).toHaveLength(1);
  });
});
