import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupAuthWebhookInfrastructure } from '@kubernaut-e2e/authwebhook';
import { StepError } from '@kubernaut-e2e/core';
import { setupDataStorageInfrastructure } from '@kubernaut-e2e/datastorage';
import { setupNotificationInfrastructure } from '@kubernaut-e2e/notification';
import { setupInfrastructure } from '@kubernaut-e2e/setup';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayService, setupGatewayInfrastructure } from './gateway.js';

// A failed setup writes its diagnostics under outputDir: keep them in a temp dir the suite removes.
const outputDir = mkdtempSync(join(tmpdir(), 'kubernaut-gateway-test-'));
afterAll(() => rmSync(outputDir, { recursive: true, force: true }));
const sim = { runtime: 'sim' as const, env: {}, outputDir };

describe('setupGatewayInfrastructure (simulated toolchain)', () => {
  it('deploys the CRDs, the DataStorage stack and the gateway into kubernaut-system, ready on /readyz', async () => {
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(gatewayService, { ...sim, toolchain });
    const cluster = toolchain.world.clusters.get('gateway-e2e')!;
    const crds = cluster.objectsOfKind('CustomResourceDefinition').map((o) => o.metadata.name);
    // RemediationRequest, which the suite applies itself, and the rest of config/crd/bases/ from the stack.
    expect(crds).toContain('remediationrequests.kubernaut.ai');
    expect(crds).toHaveLength(11);
    for (const name of ['postgresql', 'redis', 'datastorage', 'gateway']) {
      expect(cluster.deployment('kubernaut-system', name)?.readyAt, name).toBeDefined();
    }
    // The pod spec names exactly the reference the node holds (podman's localhost/ prefix included).
    expect(cluster.deployment('kubernaut-system', 'gateway')?.images).toEqual([infra.images.gateway]);
    // kubernaut's suite names the image `gateway`, and publishes it on 8080 and DataStorage on 18091.
    expect(infra.images.gateway).toMatch(/^localhost\/gateway:gateway-e2e-/);
    expect(infra.endpoints).toMatchObject({
      gatewayUrl: 'http://localhost:8080',
      dataStorageUrl: 'http://localhost:18091',
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

  it('cannot run beside datastorage with both repository kind configs: they both publish host port 28091', async () => {
    // One simulated host for both clusters, as one machine running kind.
    const toolchain = createSimToolchain();
    await using gateway = await setupGatewayInfrastructure({ ...sim, toolchain });
    const error = await setupDataStorageInfrastructure({ ...sim, toolchain }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).stepId).toBe('cluster');
    expect((error as Error).message).toContain(
      'host port 28091 is already published by cluster "gateway-e2e"',
    );
    expect(gateway.clusterName).toBe('gateway-e2e');
  });

  it('sets up all four services at once on one host: distinct clusters, kubeconfigs, tags and host ports', async () => {
    const toolchain = createSimToolchain();
    const handles = await Promise.all([
      setupGatewayInfrastructure({ ...sim, toolchain }),
      // The datastorage suite's own kind config maps 28091 as the gateway's does; the built one does not.
      setupDataStorageInfrastructure({ ...sim, toolchain, kindConfig: false }),
      setupNotificationInfrastructure({ ...sim, toolchain }),
      setupAuthWebhookInfrastructure({ ...sim, toolchain }),
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
      expect(toolchain.world.clusters.size).toBe(4);
    } finally {
      await Promise.all(handles.map((h) => h.teardown()));
    }
  });
});
