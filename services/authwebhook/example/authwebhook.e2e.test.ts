// An example suite: how an auth webhook E2E test reads the infrastructure its global setup provided.
import { connect } from 'node:net';
import { describe, expect, inject, it } from 'vitest';

const infra = inject('kubernautE2E');

describe('auth webhook E2E suite (example)', () => {
  it('receives the webhook endpoint', () => {
    expect(infra.service).toBe('authwebhook');
    expect(infra.endpoints.webhookUrl).toMatch(/^https:\/\/localhost:\d+$/);
  });

  it.runIf(infra.runtime !== 'sim')('the webhook port accepts TCP connections', async () => {
    const { port } = new URL(infra.endpoints.webhookUrl!);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), 'localhost', () => {
        socket.end();
        resolve();
      });
      socket.once('error', reject);
    });
  });
});
