import { setupInfrastructure } from '@kubernaut-e2e/setup';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { notificationService } from './notification.js';

describe('setupNotificationInfrastructure (simulated toolchain)', () => {
  it('builds notification, auth webhook and DataStorage images and starts the controller after its webhook', async () => {
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(notificationService, {
      runtime: 'sim',
      env: {},
      toolchain,
    });
    expect(Object.keys(infra.images).sort()).toEqual(['authwebhook', 'datastorage', 'notification']);
    const cluster = toolchain.world.clusters.get('notification-e2e')!;
    // Its own CRD first, then the rest of config/crd/bases/ that the auth webhook and DataStorage stacks apply.
    const crds = cluster.objectsOfKind('CustomResourceDefinition').map((o) => o.metadata.name);
    expect(crds[0]).toBe('notificationrequests.kubernaut.ai');
    expect(crds).toHaveLength(11);
    // kubernaut's suite runs in its own namespace, with DataStorage on node port 30090 (host port 30090).
    expect(infra.namespace).toBe('notification-e2e');
    expect(cluster.deployment('notification-e2e', 'notification-controller')?.readyAt).toBeDefined();
    const dataStorage = cluster
      .objectsOfKind('Service')
      .find((o) => o.metadata.name === 'data-storage-service')!;
    expect(JSON.stringify(dataStorage.spec)).toContain('"nodePort":30090');
    expect(infra.endpoints.dataStorageUrl).toBe('http://localhost:30090');
    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('deploy:notification').start).toBeGreaterThanOrEqual(step('ready:authwebhook').end!);
    expect(step('ready:notification').outcome).toBe('succeeded');
    expect(infra.endpoints.metricsUrl).toBe('http://localhost:9186/metrics');
  });
});
