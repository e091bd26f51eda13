// An example suite: how a notification E2E test reads the infrastructure its global setup provided.
import { describe, expect, inject, it } from 'vitest';

const infra = inject('kubernautE2E');

describe('notification E2E suite (example)', () => {
  it('receives the controller metrics endpoint and the images it runs', () => {
    expect(infra.service).toBe('notification');
    expect(infra.endpoints.metricsUrl).toMatch(/^http:\/\/localhost:\d+\/metrics$/);
    expect(Object.keys(infra.images).sort()).toEqual([
      'authwebhook',
      'datastorage',
      'mock-webhook',
      'notification',
      'postgres',
      'redis',
    ]);
  });

  it.runIf(infra.runtime !== 'sim')('the controller exposes metrics', async () => {
    const response = await fetch(infra.endpoints.metricsUrl!);
    expect(response.status).toBe(200);
  });
});
