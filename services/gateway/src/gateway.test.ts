import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupAuthWebhookInfrastructure } from '@kubernaut-e2e/authwebhook';
import { ConfigError } from '@kubernaut-e2e/core';
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
  it('deploys the CRDs, the DataStorage stack and the gateway into kubernaut-system, ready on its health port', async () => {
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
    // kubernaut's suite names the image `gateway`, publishes its API on 8080, health on 28080, metrics on 9090, and
    // DataStorage (TLS) on 18091 with its health on 28091.
    expect(infra.images.gateway).toMatch(/^localhost\/gateway:gateway-e2e-/);
    expect(infra.endpoints).toEqual({
      gatewayUrl: 'http://localhost:8080',
      gatewayHealthUrl: 'http://localhost:28080',
      gatewayMetricsUrl: 'http://localhost:9090',
      dataStorageUrl: 'https://localhost:18091',
      dataStorageHealthUrl: 'http://localhost:28091',
    });
    const ready = infra.trace.steps.find((s) => s.id === 'ready:gateway');
    expect(ready?.outcome).toBe('succeeded');
    // Ready when /readyz answers on the health server (8081, published on 28080), not the API port.
    const probes = toolchain.world.events.filter((e) => e.op === 'probe').map((e) => e.subject);
    expect(probes).toContain('http://localhost:28080/readyz');
    expect(probes.some((p) => p.includes(':8080'))).toBe(false);
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

  it("cannot run beside datastorage with both suites' ports: both publish host port 28091, refused before anything runs", async () => {
    // One simulated host for both clusters, as one machine running kind.
    const toolchain = createSimToolchain();
    await using gateway = await setupGatewayInfrastructure({ ...sim, toolchain });
    const eventsBefore = toolchain.world.events.length;
    const error = await setupDataStorageInfrastructure({ ...sim, toolchain }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        path: 'hostPorts.datastorageMetrics',
        message: expect.stringContaining('host port 28091 is already used by gateway'),
      },
    ]);
    expect(toolchain.world.events.length).toBe(eventsBefore);
    expect(gateway.clusterName).toBe('gateway-e2e');
  });

  it('sets up all four services at once on one host: distinct clusters, kubeconfigs, tags and host ports', async () => {
    const toolchain = createSimToolchain();
    const handles = await Promise.all([
      setupGatewayInfrastructure({ ...sim, toolchain }),
      // The datastorage suite publishes its metrics on 28091, the gateway suite DataStorage's health: move one.
      setupDataStorageInfrastructure({
        ...sim,
        toolchain,
        kindConfig: false,
        hostPorts: { datastorageMetrics: 28095 },
      }),
      setupNotificationInfrastructure({ ...sim, toolchain }),
      setupAuthWebhookInfrastructure({ ...sim, toolchain }),
    ]);
    try {
      const distinct = (values: string[]) => new Set(values).size === values.length;
      expect(distinct(handles.map((h) => h.clusterName))).toBe(true);
      expect(distinct(handles.map((h) => h.kubeconfigPath))).toBe(true);
      // The images each builds are its own (the pulled postgres and redis are the same for all).
      const built = handles.flatMap((h) =>
        Object.values(h.images).filter((ref) => ref.startsWith('localhost/')),
      );
      expect(built).toHaveLength(8); // gateway 2, datastorage 1, notification 3, authwebhook 2
      expect(distinct(built)).toBe(true);
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
