import { X509Certificate } from 'node:crypto';
import { ConfigError, type KubeObject } from '@kubernaut-e2e/core';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parse } from 'yaml';
import { FIXTURE_PROJECT_ROOT } from '../project-root.js';
import { setupInfrastructure } from '../setup-infrastructure.js';
import { defineService } from './define-service.js';
import type { ServiceSpec } from './spec/service.js';
import { defineStack } from './stack.js';

/** A stack like DataStorage's, small: a cache served over TLS from the run's CA, published on `cache`. */
const cacheStack = defineStack({
  name: 'cache',
  images: { cache: { dockerfile: 'docker/data-storage.Dockerfile', imageName: 'kubernaut/cache' } },
  certificates: [{ secret: 'cache-tls', serves: 'cache' }],
  deployments: [
    {
      id: 'cache',
      image: 'cache',
      serviceName: 'cache-service',
      ports: [
        { name: 'https', port: 8443, tls: true, nodePort: 30500 },
        { name: 'health', port: 8081, nodePort: 30501 },
      ],
      publish: [
        { port: 'https', hostPort: 'cache' },
        { port: 'health', hostPort: 'cacheHealth', optional: true },
      ],
      volumes: [{ name: 'tls', mountPath: '/etc/tls', source: { secret: 'cache-tls' } }],
      probes: { readiness: { path: '/readyz', port: 'health' } },
    },
  ],
});

const ordersSpec = {
  name: 'orders',
  uses: [cacheStack],
  hostPorts: { orders: 19080, cache: 19081 },
  images: { orders: { dockerfile: 'docker/gateway.Dockerfile' } },
  crds: ['config/crd/bases/kubernaut.ai_actiontypes.yaml'],
  deployments: [
    {
      id: 'orders',
      image: 'orders',
      dependsOn: ['cache'],
      args: ['--config=/etc/orders/config.yaml'],
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'orders', nodePort: 30100 },
      configFiles: [
        {
          name: 'orders-config',
          mountPath: '/etc/orders',
          files: {
            'config.yaml': {
              yaml: (run) => ({
                cache: { url: run.url('cache'), caFile: '/etc/tls-ca/ca.crt' },
                ns: run.namespace,
              }),
            },
          },
        },
      ],
      volumes: [{ name: 'tls-ca', mountPath: '/etc/tls-ca', source: { configMap: 'inter-service-ca' } }],
      probes: { readiness: { path: '/readyz', port: 'http' } },
    },
  ],
} satisfies ServiceSpec;

const issuesOf = (spec: unknown): string[] => {
  try {
    defineService(spec as ServiceSpec);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
};

const sim = { env: {}, projectRoot: FIXTURE_PROJECT_ROOT };
const objectsOf = (toolchain: ReturnType<typeof createSimToolchain>, cluster: string, kind: string) =>
  toolchain.world.clusters.get(cluster)!.objectsOfKind(kind);
const named = (objects: readonly KubeObject[], name: string) =>
  objects.find((o) => o.metadata.name === name)!;

describe('defineService', () => {
  it('sets up a service declared as data: its stack first, the run’s certificates, its config file, its deployment', async () => {
    const orders = defineService(ordersSpec);
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(orders, { toolchain, ...sim });
    expect(infra.clusterName).toBe('orders-e2e');
    // The cache's port serves TLS: its URL is https. Its optional health port is not published here.
    expect(infra.endpoints).toEqual({
      ordersUrl: 'http://localhost:19080',
      cacheUrl: 'https://localhost:19081',
    });
    expect(Object.keys(infra.images).sort()).toEqual(['cache', 'orders']);

    // The config file, rendered with the run's values, mounted where the binary reads it.
    const config = named(objectsOf(toolchain, 'orders-e2e', 'ConfigMap'), 'orders-config');
    expect(parse((config.data as Record<string, string>)['config.yaml']!)).toEqual({
      cache: {
        url: 'https://cache-service.kubernaut-system.svc.cluster.local:8443',
        caFile: '/etc/tls-ca/ca.crt',
      },
      ns: 'kubernaut-system',
    });
    // The run's CA in the ConfigMap the suites mount, and a serving certificate for the cache's Service names.
    const caPem = (
      named(objectsOf(toolchain, 'orders-e2e', 'ConfigMap'), 'inter-service-ca').data as Record<
        string,
        string
      >
    )['ca.crt']!;
    const secret = named(objectsOf(toolchain, 'orders-e2e', 'Secret'), 'cache-tls');
    expect(secret.type).toBe('kubernetes.io/tls');
    const serving = new X509Certificate(
      Buffer.from((secret.data as Record<string, string>)['tls.crt']!, 'base64'),
    );
    expect(serving.checkIssued(new X509Certificate(caPem))).toBe(true);
    expect(serving.checkHost('cache-service.kubernaut-system.svc.cluster.local')).toBeDefined();
    expect(serving.checkHost('localhost')).toBe('localhost');
    expect(infra.caFile).toMatch(/inter-service-ca\.pem$/);

    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('manifests:config').end).toBeLessThanOrEqual(step('deploy:cache').start!);
    expect(step('deploy:orders').start).toBeGreaterThanOrEqual(step('ready:cache').end!);
    expect(step('ready:orders').outcome).toBe('succeeded');
  });

  it('types a handle’s endpoints from the spec: its published ports’, its stacks’ and what `endpoints` returns', () => {
    const typed = defineService({
      name: 'typed',
      uses: [cacheStack],
      hostPorts: { api: 19500, cache: 19501 },
      images: { api: { dockerfile: 'docker/gateway.Dockerfile' } },
      deployments: [
        {
          id: 'api',
          image: 'api',
          ports: [{ name: 'http', port: 8080, nodePort: 30510 }],
          publish: [{ port: 'http', hostPort: 'api' }],
        },
      ],
      endpoints: () => ({ docsUrl: 'https://example.invalid' }),
    });
    // A typo in `infra.endpoints.apiUrl` is a compile error (this file is type-checked with the others).
    expectTypeOf<NonNullable<typeof typed.endpointNames>[number]>().toEqualTypeOf<
      'apiUrl' | 'docsUrl' | 'cacheUrl' | 'cacheHealthUrl'
    >();
  });

  it('publishes the stack’s and the deployment’s host ports from the kind node, an optional one when named', async () => {
    const orders = defineService({
      ...ordersSpec,
      hostPorts: { ...ordersSpec.hostPorts, cacheHealth: 19082 },
    });
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
      [30501, 19082],
      [30100, 19080],
    ]);
    expect(declared.endpoints).toMatchObject({ cacheHealthUrl: 'http://localhost:19082' });
    expect(declared.ca?.file).toBe('/tmp/inter-service-ca.pem');
  });

  it('lets the service move a stack’s node port', async () => {
    const orders = defineService({ ...ordersSpec, nodePorts: { cache: 30600 } });
    const toolchain = createSimToolchain();
    await using _infra = await setupInfrastructure(orders, { toolchain, ...sim });
    const service = named(objectsOf(toolchain, 'orders-e2e', 'Service'), 'cache-service');
    expect((service.spec as { ports: { name: string; nodePort?: number }[] }).ports).toMatchObject([
      { name: 'https', nodePort: 30600 },
      { name: 'health', nodePort: 30501 },
    ]);
  });

  it('loads a preload image no declared pod runs, for pods started later, and builds a buildOnly one only', async () => {
    const orders = defineService({
      ...ordersSpec,
      images: {
        ...ordersSpec.images,
        chart: { dockerfile: 'docker/gateway.Dockerfile', imageName: 'chart', preload: true },
        migrate: { dockerfile: 'docker/gateway.Dockerfile', imageName: 'migrate', buildOnly: true },
        workload: { ref: 'registry.access.redhat.com/ubi9/ubi-minimal:9.5', preload: true },
      },
    });
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(orders, { toolchain, ...sim });
    const steps = infra.trace.steps.map((s) => s.id);
    expect(steps).toEqual(
      expect.arrayContaining(['build:chart', 'load:chart', 'load:workload', 'build:migrate']),
    );
    expect(steps).not.toContain('load:migrate');
    expect(Object.keys(infra.images)).toEqual(expect.arrayContaining(['chart', 'workload']));
  });

  it('probes a port that serves TLS over HTTPS, and a plain one over HTTP', async () => {
    const [cache] = cacheStack.spec.deployments!;
    const tlsProbed = defineStack({
      ...cacheStack.spec,
      deployments: [
        {
          ...cache!,
          probes: {
            readiness: { path: '/readyz', port: 'https' },
            liveness: { path: '/healthz', port: 'health' },
          },
        },
      ],
    });
    const toolchain = createSimToolchain();
    await using _infra = await setupInfrastructure(defineService({ ...ordersSpec, uses: [tlsProbed] }), {
      toolchain,
      ...sim,
    });
    const deployment = named(objectsOf(toolchain, 'orders-e2e', 'Deployment'), 'cache');
    const [container] = (deployment.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
      .template.spec.containers;
    // The kubelet would get a TLS handshake error (a failed probe) from a plain GET of an HTTPS port.
    expect(container!.readinessProbe).toEqual({
      httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' },
    });
    expect(container!.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'health' } });
  });

  it('applies repository manifests into the run’s namespace, keeping only the kinds asked for', async () => {
    const orders = defineService({
      ...ordersSpec,
      namespace: 'orders-e2e',
      manifests: [
        { id: 'client-role', from: 'deploy/data-storage/client-rbac-v2.yaml', kinds: ['ClusterRole'] },
        { id: 'service-rbac', from: 'deploy/data-storage/service-rbac.yaml' },
      ],
    });
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(orders, { toolchain, ...sim });
    expect(infra.namespace).toBe('orders-e2e');
    expect(
      objectsOf(toolchain, 'orders-e2e', 'ClusterRole')
        .map((o) => o.metadata.name)
        .sort(),
    ).toContain('data-storage-client');
    // The file's RoleBinding for another suite's account was left out.
    expect(objectsOf(toolchain, 'orders-e2e', 'RoleBinding').map((o) => o.metadata.name)).not.toContain(
      'fixture-other-suite-data-storage-client',
    );
    // The file names kubernaut-system; the run moved the account and its binding's subject into its namespace.
    expect(
      named(objectsOf(toolchain, 'orders-e2e', 'ServiceAccount'), 'data-storage-sa').metadata.namespace,
    ).toBe('orders-e2e');
    const binding = named(
      objectsOf(toolchain, 'orders-e2e', 'ClusterRoleBinding'),
      'data-storage-auth-middleware',
    );
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'data-storage-sa', namespace: 'orders-e2e' },
    ]);
  });

  it('seeds once what it depends on is ready, writing the status through the status subresource', async () => {
    const orders = defineService({
      ...ordersSpec,
      seeds: [
        {
          id: 'action-types',
          dependsOn: ['cache'],
          objects: [
            {
              apiVersion: 'kubernaut.ai/v1alpha1',
              kind: 'ActionType',
              metadata: { name: 'restart-pod' },
              spec: { name: 'RestartPod' },
              status: { registered: true },
            },
          ],
        },
      ],
    });
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(orders, { toolchain, ...sim });
    const actionType = named(objectsOf(toolchain, 'orders-e2e', 'ActionType'), 'restart-pod');
    expect(actionType.metadata.namespace).toBe('kubernaut-system');
    // The CRD has a status subresource: an apply alone would not have written it.
    expect(actionType.status).toEqual({ registered: true });
    const seed = infra.trace.steps.find((s) => s.id === 'seed:action-types')!;
    expect(seed.start).toBeGreaterThanOrEqual(infra.trace.steps.find((s) => s.id === 'ready:cache')!.end!);
  });

  it('deploys into the namespace the service names, and keeps its own pattern choice', async () => {
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(defineService({ ...ordersSpec, namespace: 'orders-e2e' }), {
      toolchain,
      ...sim,
    });
    expect(infra.namespace).toBe('orders-e2e');
    expect(
      toolchain.world.clusters.get('orders-e2e')!.deployment('orders-e2e', 'orders')?.readyAt,
    ).toBeDefined();
    expect(defineService({ ...ordersSpec, pattern: 'hybrid' }).pattern).toBe('hybrid');
  });

  const deployment = ordersSpec.deployments[0];
  it.each([
    [{ ...ordersSpec, colour: 'blue' }, 'colour: unknown field "colour"'],
    [{ ...ordersSpec, name: 'Orders_Service' }, 'name'],
    [{ ...ordersSpec, hostPorts: { orders: 19080 } }, 'hostPorts.cache: the cache stack publishes'],
    [
      { ...ordersSpec, hostPorts: { orders: 19080, cache: 19080 } },
      'hostPorts.cache: host port 19080 is also',
    ],
    [
      { ...ordersSpec, deployments: [{ ...deployment, dependsOn: ['postgres'] }] },
      'deployments[0].dependsOn[0]: "postgres" names no component; known: cache',
    ],
    [
      { ...ordersSpec, deployments: [{ ...deployment, image: 'billing' }] },
      'deployments[0].image: no image "billing"',
    ],
    [
      {
        ...ordersSpec,
        images: { ...ordersSpec.images, billing: { dockerfile: 'docker/billing.Dockerfile' } },
      },
      'images.billing: no deployment or manifest runs image "billing"',
    ],
    [
      {
        ...ordersSpec,
        images: {
          ...ordersSpec.images,
          billing: { dockerfile: 'docker/billing.Dockerfile', buildOnly: true, preload: true },
        },
      },
      'images.billing.preload: an image is buildOnly (never loaded) or preload',
    ],
    [
      {
        ...ordersSpec,
        images: {
          ...ordersSpec.images,
          orders: { dockerfile: 'docker/gateway.Dockerfile', buildOnly: true },
        },
      },
      'deployments[0].image: image "orders" is buildOnly',
    ],
    [
      { ...ordersSpec, images: { ...ordersSpec.images, pg: { ref: 'docker.io/library/postgres:latest' } } },
      'images.pg.ref',
    ],
    [
      {
        ...ordersSpec,
        deployments: [{ ...deployment, publish: { port: 'http', hostPort: 'orders', nodePort: 8080 } }],
      },
      'deployments[0].publish.nodePort',
    ],
    [
      { ...ordersSpec, deployments: [{ ...deployment, publish: { port: 'http', hostPort: 'orders' } }] },
      'deployments[0].publish.nodePort: port "http" has no nodePort',
    ],
    [{ ...ordersSpec, nodePorts: { metrics: 30200 } }, 'nodePorts.metrics: no host port named "metrics"'],
    [
      {
        ...ordersSpec,
        deployments: [{ ...deployment, publish: { port: 'http', hostPort: 'cache', nodePort: 30100 } }],
      },
      'deployments[0].publish.hostPort: host port "cache" is already published by cache stack deployments[0].publish[0]',
    ],
    [
      {
        ...ordersSpec,
        deployments: [{ ...deployment, probes: { readiness: { path: '/readyz', port: 'health' } } }],
      },
      'deployments[0].probes.readiness.port: no port named "health" in ports; declared: http',
    ],
    [
      { ...ordersSpec, certificates: [{ secret: 'orders-tls', serves: 'billing' }] },
      'certificates[0].serves: "billing" names no deployment',
    ],
    [
      { ...ordersSpec, configMaps: [{ name: 'orders-config', files: { a: { text: 'x' } } }] },
      'ConfigMap "orders-config" is already declared',
    ],
    [
      { ...ordersSpec, seeds: [{ id: 'cache', dependsOn: ['orders'], objects: [] }] },
      'seeds[0].id: component "cache" is already declared at cache stack deployments[0].id',
    ],
    [{ ...ordersSpec, namespace: 'Orders' }, 'namespace'],
    [{ ...ordersSpec, kindConfig: '/abs/kind.yaml' }, 'kindConfig: a path relative to the project root'],
    [{ ...ordersSpec, crds: ['../outside'] }, 'crds[0]: a path inside the project root'],
  ])('refuses %# naming the field (%s)', (spec, expected) => {
    expect(issuesOf(spec).join('\n')).toContain(expected);
  });
});

describe('declaring a run reads the project before anything runs', () => {
  const declareOf = async (spec: ServiceSpec) => {
    const toolchain = createSimToolchain();
    const error = await setupInfrastructure(defineService(spec), { toolchain, ...sim }).catch(
      (e: unknown) => e,
    );
    // Nothing ran: no simulated command was issued.
    expect(toolchain.world.events).toEqual([]);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`).join('\n');
  };

  it('refuses a config file path that does not exist, naming the field', async () => {
    const files = { 'config.yaml': { file: 'config/orders/nosuch.yaml' } };
    const spec = {
      ...ordersSpec,
      deployments: [
        {
          ...ordersSpec.deployments[0]!,
          configFiles: [{ name: 'orders-config', mountPath: '/etc/orders', files }],
        },
      ],
    };
    expect(await declareOf(spec)).toContain(
      'deployments[0].configFiles[0].files["config.yaml"].file: config/orders/nosuch.yaml is not a file in the project root',
    );
  });

  it('refuses a mount of a ConfigMap or Secret nobody applies (unless optional), naming the field', async () => {
    const volumes = [
      { name: 'a', mountPath: '/a', source: { configMap: 'nosuch-config' } },
      { name: 'b', mountPath: '/b', source: { secret: 'nosuch-secret' } },
      { name: 'c', mountPath: '/c', source: { secret: 'optional-secret', optional: true } },
    ];
    const spec = { ...ordersSpec, deployments: [{ ...ordersSpec.deployments[0]!, volumes }] };
    const issues = await declareOf(spec);
    expect(issues).toContain('deployments[0].volumes[0].source.configMap: no ConfigMap "nosuch-config"');
    expect(issues).toContain('deployments[0].volumes[1].source.secret: no Secret "nosuch-secret"');
    expect(issues).not.toContain('optional-secret');
  });

  it('refuses a seed of a kind no installed CRD serves, naming the field', async () => {
    const spec = {
      ...ordersSpec,
      seeds: [
        {
          id: 'workflows',
          dependsOn: ['cache'],
          objects: [
            { apiVersion: 'kubernaut.ai/v1alpha1', kind: 'RemediationWorkflow', metadata: { name: 'w' } },
          ],
        },
      ],
    };
    expect(await declareOf(spec)).toContain(
      'seeds[0].objects[0]: no CRD this service installs serves kind "RemediationWorkflow"',
    );
  });

  it('refuses a repository manifest that does not exist, naming the field', async () => {
    expect(
      await declareOf({ ...ordersSpec, manifests: [{ id: 'rbac', from: 'deploy/nosuch.yaml' }] }),
    ).toContain('manifests[0].from: deploy/nosuch.yaml does not exist');
  });
});
