import { setupAuthWebhookInfrastructure } from '@kubernaut-e2e/authwebhook';
import { setupDataStorageInfrastructure, setupInfrastructure } from '@kubernaut-e2e/datastorage';
import { setupNotificationInfrastructure } from '@kubernaut-e2e/notification';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { gatewayService, setupGatewayInfrastructure } from './gateway.js';

const sim = { runtime: 'sim' as const, env: {} };

describe('setupGatewayInfrastructure (simulated toolchain)', () => {
  it('deploys the CRDs, the DataStorage stack and the gateway into kubernaut-system, ready on /readyz', async () => {
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(gatewayService, { ...sim, toolchain });
    const cluster = toolchain.world.clusters.get('gateway-e2e')!;
    const crds = cluster.objectsOfKind('CustomResourceDefinition').map((o) => o.metadata.name);
    expect(crds).toContain('remediationrequests.remediation.kubernaut.ai');
    for (const name of ['postgresql', 'redis', 'datastorage', 'gateway']) {
      expect(cluster.deployment('kubernaut-system', name)?.readyAt, name).toBeDefined();
    }
    // The pod spec names exactly the reference the node holds (podman's localhost/ prefix included).
    expect(cluster.deployment('kubernaut-system', 'gateway')?.images).toEqual([infra.images.gateway]);
    expect(infra.images.gateway).toMatch(/^localhost\/kubernaut\/gateway:gateway-e2e-/);
    expect(infra.endpoints).toMatchObject({
      gatewayUrl: 'http://localhost:18080',
      dataStorageUrl: 'http://localhost:18081',
    });
    const ready = infra.trace.steps.find((s) => s.id === 'ready:gateway');
    expect(ready?.outcome).toBe('succeeded');
  });

  it('creates the cluster while the images build (dag), unlike the seed standard pattern', async () => {
    await using dag = await setupGatewayInfrastructure(sim);
    const cluster = dag.trace.steps.find((s) => s.id === 'cluster')!;
    const build = dag.trace.steps.find((s) => s.id === 'build:gateway')!;
    expect(cluster.start).toBe(0);
    expect(build.start).toBe(0);
    await dag.teardown();
    await using standard = await setupGatewayInfrastructure({ ...sim, pattern: 'standard' });
    const standardBuild = standard.trace.steps.find((s) => s.id === 'build:gateway')!;
    expect(standardBuild.start).toBeGreaterThanOrEqual(
      standard.trace.steps.find((s) => s.id === 'cluster')!.end!,
    );
    expect(dag.trace.makespanMs / standard.trace.makespanMs).toBeLessThanOrEqual(0.75);
  });

  it('sets up all four services at once on one host: distinct clusters, kubeconfigs, tags and host ports', async () => {
    const handles = await Promise.all([
      setupGatewayInfrastructure(sim),
      setupDataStorageInfrastructure(sim),
      setupNotificationInfrastructure(sim),
      setupAuthWebhookInfrastructure(sim),
    ]);
    try {
      const distinct = (values: string[]) => new Set(values).size === values.length;
      expect(distinct(handles.map((h) => h.clusterName))).toBe(true);
      expect(distinct(handles.map((h) => h.kubeconfigPath))).toBe(true);
      expect(distinct(handles.flatMap((h) => Object.values(h.images)))).toBe(true);
      const ports = handles.flatMap((h) =>
        Object.values(h.endpoints)
          .map((url) => /localhost:(\d+)/.exec(url)?.[1])
          .filter((p): p is string => p !== undefined),
      );
      expect(ports.length).toBeGreaterThanOrEqual(11);
      expect(distinct(ports)).toBe(true);
    } finally {
      await Promise.all(handles.map((h) => h.teardown()));
    }
  });
});
