import { X509Certificate } from 'node:crypto';
import { setupInfrastructure } from '@kubernaut-e2e/datastorage';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { authWebhookService } from './authwebhook.js';

describe('setupAuthWebhookInfrastructure (simulated toolchain)', () => {
  it('serves the webhook with a generated certificate and patches its CA into both configurations', async () => {
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(authWebhookService, { runtime: 'sim', env: {}, toolchain });
    const cluster = toolchain.world.clusters.get(infra.clusterName)!;
    const secret = cluster.objectsOfKind('Secret').find((o) => o.metadata.name === 'authwebhook-tls')!;
    const data = secret.data as Record<string, string>;
    const serving = new X509Certificate(Buffer.from(data['tls.crt']!, 'base64'));
    expect(serving.subjectAltName).toContain('DNS:authwebhook.kubernaut-system.svc');

    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      const [config] = cluster.objectsOfKind(kind);
      const webhooks = config!.webhooks as { clientConfig: { caBundle?: string } }[];
      const ca = new X509Certificate(Buffer.from(webhooks[0]!.clientConfig.caBundle!, 'base64'));
      expect(serving.verify(ca.publicKey), kind).toBe(true);
    }
    expect(cluster.deployment('kubernaut-system', 'authwebhook')?.readyAt).toBeDefined();
    expect(infra.endpoints.webhookUrl).toBe('https://localhost:48443');
  });
});
