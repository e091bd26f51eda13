import { ConfigError } from '@kubernaut-e2e/core';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PROJECT_ROOT } from '../project-root.js';
import { setupInfrastructure } from '../setup-infrastructure.js';
import { defineService } from './define-service.js';
import type { ServiceSpec } from './service-spec.js';
import { defineStack } from './stack.js';

/** A stack like DataStorage's, small: one cache deployment published on the host port named `cache`. */
const cacheStack = defineStack({
  name: 'cache',
  hostPorts: ['cache'],
  provides: ['cache'],
  declare: ({ hostPorts, nodePorts }) => ({
    images: [
      {
        id: 'cache',
        build: {
          serviceName: 'cache',
          imageName: 'kubernaut/cache',
          dockerfilePath: 'docker/gateway.Dockerfile',
        },
      },
    ],
    components: [
      {
        id: 'cache',
        kind: 'deploy',
        images: ['cache'],
        dependsOn: [],
        manifests: () => [],
        rollout: [],
      },
    ],
    portMappings: [{ containerPort: nodePorts?.cache ?? 30500, hostPort: hostPorts.cache! }],
    endpoints: { cacheUrl: `tcp://localhost:${hostPorts.cache}` },
  }),
});

const ordersSpec: ServiceSpec = {
  name: 'orders',
  uses: [cacheStack],
  hostPorts: { orders: 19080, cache: 19081 },
  images: { orders: { dockerfile: 'docker/gateway.Dockerfile' } },
  crds: ['config/crd/bases/kubernaut.ai_remediationrequests.yaml'],
  deployments: [
    {
      id: 'orders',
      image: 'orders',
      dependsOn: ['cache'],
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'orders', nodePort: 30100 },
      readyPath: '/readyz',
    },
  ],
};

const issuesOf = (spec: unknown): string[] => {
  try {
    defineService(spec as ServiceSpec);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
};

describe('defineService', () => {
  it('sets up a service declared as data on the simulated toolchain: its stack first, its deployment after', async () => {
    const orders = defineService(ordersSpec);
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(orders, {
      toolchain,
      env: {},
      projectRoot: FIXTURE_PROJECT_ROOT,
    });
    expect(infra.clusterName).toBe('orders-e2e');
    expect(infra.endpoints).toEqual({
      ordersUrl: 'http://localhost:19080',
      cacheUrl: 'tcp://localhost:19081',
    });
    expect(Object.keys(infra.images).sort()).toEqual(['cache', 'orders']);
    const cluster = toolchain.world.clusters.get('orders-e2e')!;
    expect(cluster.objectsOfKind('CustomResourceDefinition').map((o) => o.metadata.name)).toEqual([
      'remediationrequests.kubernaut.ai',
    ]);
    expect(cluster.deployment('kubernaut-system', 'orders')?.images).toEqual([infra.images.orders]);
    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('deploy:orders').start).toBeGreaterThanOrEqual(step('ready:cache').end!);
    expect(step('ready:orders').outcome).toBe('succeeded');
  });

  it('publishes every host port from the kind node: the stack’s and the deployment’s', async () => {
    const orders = defineService(ordersSpec);
    const declared = await orders.declare({
      projectRoot: FIXTURE_PROJECT_ROOT,
      clusterName: 'orders-e2e',
      kubeconfigPath: '/tmp/orders.kubeconfig',
      coverage: false,
      hostPorts: orders.hostPorts,
      consumer: 'orders-e2e',
      namespace: 'kubernaut-system',
    });
    const config = declared.declaration.cluster.config as {
      nodes: { extraPortMappings: { containerPort: number; hostPort: number }[] }[];
    };
    expect(config.nodes[0]?.extraPortMappings.map((m) => [m.containerPort, m.hostPort])).toEqual([
      [30500, 19081],
      [30100, 19080],
    ]);
  });

  it('lets the service move a stack’s node port, and publish several ports of one deployment', async () => {
    const orders = defineService({
      ...ordersSpec,
      hostPorts: { ...ordersSpec.hostPorts, metrics: 19090 },
      nodePorts: { cache: 30600 },
      deployments: [
        {
          ...ordersSpec.deployments![0]!,
          ports: [
            { name: 'http', port: 8080 },
            { name: 'metrics', port: 9090 },
          ],
          publish: [
            { port: 'http', hostPort: 'orders', nodePort: 30100 },
            { port: 'metrics', hostPort: 'metrics', nodePort: 30190 },
          ],
        },
      ],
    });
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(orders, { toolchain, env: {} });
    expect(infra.endpoints).toEqual({
      ordersUrl: 'http://localhost:19080',
      ordersMetricsUrl: 'http://localhost:19090',
      cacheUrl: 'tcp://localhost:19081',
    });
    const cluster = toolchain.world.clusters.get('orders-e2e')!;
    expect(cluster.portMappings?.map((m) => [m.hostPort, m.containerPort])).toEqual([
      [19081, 30600],
      [19080, 30100],
      [19090, 30190],
    ]);
    const service = cluster.objectsOfKind('Service').find((o) => o.metadata.name === 'orders')!;
    expect((service.spec as { ports: { name: string; nodePort?: number }[] }).ports).toMatchObject([
      { name: 'http', nodePort: 30100 },
      { name: 'metrics', nodePort: 30190 },
    ]);
  });

  it('deploys into the namespace the service names, and the handle says which', async () => {
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(defineService({ ...ordersSpec, namespace: 'orders-e2e' }), {
      toolchain,
      env: {},
    });
    expect(infra.namespace).toBe('orders-e2e');
    expect(
      toolchain.world.clusters.get('orders-e2e')!.deployment('orders-e2e', 'orders')?.readyAt,
    ).toBeDefined();
  });

  it('keeps the service’s own pattern choice', () => {
    expect(defineService({ ...ordersSpec, pattern: 'hybrid' }).pattern).toBe('hybrid');
  });

  it.each([
    [{ ...ordersSpec, colour: 'blue' }, 'colour: unknown field "colour"'],
    [{ ...ordersSpec, name: 'Orders_Service' }, 'name'],
    [{ ...ordersSpec, hostPorts: { orders: 19080 } }, 'hostPorts.cache: the cache stack publishes'],
    [
      { ...ordersSpec, hostPorts: { orders: 19080, cache: 19080 } },
      'hostPorts.cache: host port 19080 is also',
    ],
    [
      { ...ordersSpec, deployments: [{ ...ordersSpec.deployments![0]!, dependsOn: ['postgres'] }] },
      'deployments[0].dependsOn[0]: "postgres" names no component; known: cache',
    ],
    [
      { ...ordersSpec, deployments: [{ ...ordersSpec.deployments![0]!, image: 'billing' }] },
      'deployments[0].image: no image "billing"',
    ],
    [
      {
        ...ordersSpec,
        images: { ...ordersSpec.images, billing: { dockerfile: 'docker/billing.Dockerfile' } },
      },
      'images.billing: no component runs image "billing"',
    ],
    [
      {
        ...ordersSpec,
        deployments: [
          { ...ordersSpec.deployments![0]!, publish: { port: 'http', hostPort: 'orders', nodePort: 8080 } },
        ],
      },
      'deployments[0].publish.nodePort',
    ],
    [{ ...ordersSpec, nodePorts: { metrics: 30200 } }, 'nodePorts.metrics: no host port named "metrics"'],
    [
      {
        ...ordersSpec,
        deployments: [
          { ...ordersSpec.deployments![0]!, publish: { port: 'http', hostPort: 'cache', nodePort: 30100 } },
        ],
      },
      'deployments[0].publish.hostPort: host port "cache" is already published by the cache stack',
    ],
    [
      { ...ordersSpec, deployments: [{ ...ordersSpec.deployments![0]!, publish: [] }] },
      'deployments[0].publish',
    ],
    [{ ...ordersSpec, namespace: 'Orders' }, 'namespace'],
    [{ ...ordersSpec, kindConfig: '/abs/kind.yaml' }, 'kindConfig: a path relative to the project root'],
  ])('refuses %# naming the field (%s)', (spec, expected) => {
    expect(issuesOf(spec).join('\n')).toContain(expected);
  });
});
