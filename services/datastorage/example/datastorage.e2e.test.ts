// An example suite: how a DataStorage E2E test reads the infrastructure its global setup provided.
import { describe, expect, inject, it } from 'vitest';

const infra = inject('kubernautE2E');

describe('DataStorage E2E suite (example)', () => {
  it('receives the DataStorage and PostgreSQL endpoints', () => {
    expect(infra.service).toBe('datastorage');
    expect(infra.endpoints.dataStorageUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(new URL(infra.endpoints.postgresUrl!).pathname).toBe('/action_history');
  });

  it.runIf(infra.runtime !== 'sim')('DataStorage accepts connections', async () => {
    const response = await fetch(`${infra.endpoints.dataStorageUrl}/health`);
    expect(response.status).toBeLessThan(500);
  });
});
