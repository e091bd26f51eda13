// An example suite: how a DataStorage E2E test reads the infrastructure its global setup provided.
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { describe, expect, inject, it } from 'vitest';

const infra = inject('kubernautE2E');

describe('DataStorage E2E suite (example)', () => {
  it('receives the DataStorage and PostgreSQL endpoints', () => {
    expect(infra.service).toBe('datastorage');
    expect(infra.endpoints.dataStorageUrl).toMatch(/^https:\/\/localhost:\d+$/);
    expect(infra.caFile).toMatch(/inter-service-ca\.pem$/);
    expect(new URL(infra.endpoints.postgresUrl!).pathname).toBe('/action_history');
  });

  it.runIf(infra.runtime !== 'sim')('DataStorage accepts connections', async () => {
    // DataStorage serves TLS with a certificate from the run's CA: trust that CA, and nothing else.
    const status = await new Promise<number>((resolve, reject) =>
      get(`${infra.endpoints.dataStorageUrl}/health`, { ca: readFileSync(infra.caFile!) }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject),
    );
    expect(status).toBeLessThan(500);
  });
});
