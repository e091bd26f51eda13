import { X509Certificate } from 'node:crypto';
import { setupInfrastructure } from '@kubernaut-e2e/setup';
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
    // kubernaut's authwebhook suite runs in its own namespace.
    expect(infra.namespace).toBe('authwebhook-e2e');
    expect(serving.subjectAltName).toContain('DNS:authwebhook.authwebhook-e2e.svc');

    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      const [config] = cluster.objectsOfKind(kind);
      const webhooks = config!.webhooks as { clientConfig: { caBundle?: string } }[];
      const ca = new X509Certificate(Buffer.from(webhooks[0]!.clientConfig.caBundle!, 'base64'));
      expect(serving.verify(ca.publicKey), kind).toBe(true);
    }
    expect(cluster.deployment('authwebhook-e2e', 'authwebhook')?.readyAt).toBeDefined();
    // The suite's kind config publishes the webhook on 30099 and PostgreSQL from node port 30442.
    expect(infra.endpoints.webhookUrl).toBe('https://localhost:30099');
    const postgres = cluster.objectsOfKind('Service').find((o) => o.metadata.name === 'postgresql')!;
    expect(JSON.stringify(postgres.spec)).toContain('"nodePort":30442');
  });
});
