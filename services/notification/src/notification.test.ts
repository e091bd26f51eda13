import { setupInfrastructure } from '@kubernaut-e2e/datastorage';
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
    expect(cluster.objectsOfKind('CustomResourceDefinition').map((o) => o.metadata.name)).toEqual([
      'notificationrequests.notification.kubernaut.ai',
    ]);
    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('deploy:notification').start).toBeGreaterThanOrEqual(step('ready:authwebhook').end!);
    expect(step('ready:notification').outcome).toBe('succeeded');
    expect(infra.endpoints.metricsUrl).toBe('http://localhost:38090/metrics');
  });
});
