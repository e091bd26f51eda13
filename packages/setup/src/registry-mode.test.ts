import { ConfigError } from '@kubernaut-e2e/core';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PROJECT_ROOT } from './project-root.js';
import { defineService } from './service/define-service.js';
import { resolveSetup, setupInfrastructure } from './setup-infrastructure.js';

const orders = defineService({
  name: 'orders',
  hostPorts: { orders: 19380 },
  images: {
    orders: { dockerfile: 'docker/gateway.Dockerfile' },
    worker: { dockerfile: 'docker/data-storage.Dockerfile' },
  },
  deployments: [
    {
      id: 'worker',
      image: 'worker',
      dependsOn: [],
      ports: [{ name: 'http', port: 8080 }],
    },
    {
      id: 'orders',
      image: 'orders',
      dependsOn: ['worker'],
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'orders', nodePort: 30100 },
      probes: { readiness: { path: '/readyz', port: 'http' } },
    },
  ],
});

const base = { projectRoot: FIXTURE_PROJECT_ROOT, env: {} } as const;

describe('registry mode', () => {
  it('pushes each image while the cluster is created; pods run the registry names', async () => {
    const toolchain = createSimToolchain({ registry: 'localhost:5001' });
    await using infra = await setupInfrastructure(orders, {
      ...base,
      toolchain,
      registry: { url: 'localhost:5001' },
    });
    expect(infra.images.orders).toMatch(/^localhost:5001\/kubernaut\/orders:orders-e2e-/);
    expect(toolchain.world.registry.has(infra.images.orders!)).toBe(true);
    const deployment = toolchain.world.clusters.get('orders-e2e')!.deployment('kubernaut-system', 'orders');
    expect(deployment?.readyAt).toBeDefined();

    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('load:orders').label).toBe('push orders to the registry');
    expect(step('load:orders').deps).not.toContain('cluster');
    // Each push starts the moment its own build ends, whatever the cluster is doing.
    for (const id of ['orders', 'worker']) expect(step(`load:${id}`).start).toBe(step(`build:${id}`).end);
  });

  it('renders the node containerd patch into the kind config, and only in registry mode', async () => {
    const patched = await resolveSetup(orders, { ...base, runtime: 'sim', registry: 'local' });
    const config = patched.declaration.cluster.config as { containerdConfigPatches?: string[] };
    expect(config.containerdConfigPatches).toEqual([
      '[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
    ]);
    expect(patched.registry).toEqual({
      address: 'localhost:5001',
      local: true,
      endpoint: 'http://kind-registry:5000',
    });
    expect(patched.plan.batchLoads).toBe(false);

    const plain = await resolveSetup(orders, { ...base, runtime: 'sim' });
    expect(
      (plain.declaration.cluster.config as { containerdConfigPatches?: string[] }).containerdConfigPatches,
    ).toBeUndefined();
    expect(plain.plan.steps.find((s) => s.id === 'load:orders')!.deps).toContain('cluster');
  });

  it.each([
    [{ url: 'localhost' }, 'registry.url', 'has no port'],
    [{ url: 'http://localhost:5001' }, 'registry.url', 'has a scheme'],
    [{ url: 'Registry.example.com:5000' }, 'registry.url', 'lower-case host'],
    [{ url: 'localhost:99999' }, 'registry.url', 'from 1 to 65535'],
    ['remote', 'registry', ''],
  ])('refuses registry %j, naming %s, before anything runs', async (registry, field, text) => {
    const toolchain = createSimToolchain();
    const error = await setupInfrastructure(orders, {
      ...base,
      toolchain,
      registry: registry as never,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe(field);
    expect((error as Error).message).toContain(text);
    expect(toolchain.world.events).toEqual([]);
  });

  it('refuses registry mode on a toolchain that cannot push, and nothing runs', async () => {
    const toolchain = createSimToolchain(); // loads archives
    const error = await setupInfrastructure(orders, {
      ...base,
      toolchain,
      registry: { url: 'localhost:5001' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe('registry');
    expect((error as Error).message).toContain('needs a toolchain whose image loader pushes');
    expect(toolchain.world.events).toEqual([]);
  });
});
