// An example suite: how a gateway E2E test reads the infrastructure its global setup provided.
import { describe, expect, inject, it } from 'vitest';

const infra = inject('kubernautE2E');

describe('gateway E2E suite (example)', () => {
  it('receives the endpoints and kubeconfig of a ready gateway setup', () => {
    expect(infra.service).toBe('gateway');
    expect(infra.namespace).toBe('kubernaut-system');
    expect(infra.endpoints.gatewayUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(infra.kubeconfigPath).toMatch(/\/\.kube\/gateway-e2e-config$/);
    expect(infra.images.gateway).toMatch(/^localhost\/gateway:/);
  });

  // On the simulated toolchain nothing listens on the host; with a real runtime the gateway must answer. Like
  // kubernaut's, it serves /readyz on its health port (8081, published as gatewayHealthUrl), not on its API port.
  it.runIf(infra.runtime !== 'sim')('gateway answers /readyz', async () => {
    const response = await fetch(`${infra.endpoints.gatewayHealthUrl}/readyz`);
    expect(response.status).toBe(200);
  });
});
