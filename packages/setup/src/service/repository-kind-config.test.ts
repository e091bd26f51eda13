import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KindClusterConfig } from '@kubernaut-e2e/cluster';
import { ConfigError } from '@kubernaut-e2e/core';
import { isBuiltImage } from '@kubernaut-e2e/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateProjectConfig } from '../config/load-config.js';
import { serviceOptions } from '../config/service-options.js';
import { resolveSetup } from '../setup-infrastructure.js';
import { defineService } from './define-service.js';
import type { ServiceSpec } from './spec/service.js';

// A repository with its own kind config, laid out as kubernaut keeps them. The YAML is written here from kind's
// v1alpha4 `Cluster` schema: a pinned node image, a relative coverage mount, port mappings, kubeadm and containerd
// patches.
const KIND_CONFIG = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
  - |-
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "/etc/containerd/certs.d"
nodes:
  - role: control-plane
    image: kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5
    extraMounts:
      - hostPath: ./coverdata
        containerPath: /coverdata
        readOnly: false
    extraPortMappings:
      - containerPort: 30100
        hostPort: 19080
        protocol: TCP
      - containerPort: 30190
        hostPort: 19090
        protocol: TCP
    kubeadmConfigPatches:
      - |
        kind: ClusterConfiguration
        apiServer:
          extraArgs:
            max-requests-inflight: "800"
`;
const FILE = 'test/infrastructure/kind-orders-config.yaml';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-kind-config-'));
  await mkdir(join(root, 'test', 'infrastructure'), { recursive: true });
  await writeFile(join(root, FILE), KIND_CONFIG);
  await mkdir(join(root, 'docker'));
  await writeFile(join(root, 'docker', 'orders.Dockerfile'), 'FROM scratch\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const ordersSpec: ServiceSpec = {
  name: 'orders',
  kindConfig: FILE,
  hostPorts: { orders: 19080, admin: 19081 },
  images: { orders: { dockerfile: 'docker/orders.Dockerfile' } },
  deployments: [
    {
      id: 'orders',
      image: 'orders',
      ports: [
        { name: 'http', port: 8080 },
        { name: 'admin', port: 8081 },
      ],
      publish: [
        { port: 'http', hostPort: 'orders', nodePort: 30100 },
        { port: 'admin', hostPort: 'admin', nodePort: 30101 },
      ],
      probes: { readiness: { path: '/readyz', port: 'http' } },
    },
  ],
};

const resolve = (spec: ServiceSpec, options: Parameters<typeof resolveSetup>[1] = {}) =>
  resolveSetup(defineService(spec), { runtime: 'sim', env: {}, projectRoot: root, ...options });

const controlPlane = (config: unknown) => (config as KindClusterConfig).nodes[0]!;

async function configErrorOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('a service that names its repository’s kind config', () => {
  it('keeps everything the file says and merges in the host ports the setup needs, saying so in the notes', async () => {
    const { declaration, notes } = await resolve(ordersSpec);
    const node = controlPlane(declaration.cluster.config);
    // The file's node image, patches and mappings survive; 19080 → 30100 was there already, 19081 → 30101 is added.
    expect(node.image).toBe(
      'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5',
    );
    expect(node.kubeadmConfigPatches?.[0]).toContain('max-requests-inflight: "800"');
    expect((declaration.cluster.config as KindClusterConfig).containerdConfigPatches?.[0]).toContain(
      'config_path = "/etc/containerd/certs.d"',
    );
    expect(node.extraPortMappings?.map((m) => [m.hostPort, m.containerPort])).toEqual([
      [19080, 30100],
      [19090, 30190],
      [19081, 30101],
    ]);
    expect(notes[0]).toBe(`kind config: ${FILE}, merged: the setup added 1 port mapping`);
    expect(notes.join('\n')).toContain('added 1: 19081/TCP → 30101 (setup hostPorts.admin)');
    expect(notes.join('\n')).toContain('1 already there: 19080/TCP → 30100 (setup hostPorts.orders)');
  });

  it('uses the file as is when it already maps every host port the setup publishes', async () => {
    const spec: ServiceSpec = {
      ...ordersSpec,
      hostPorts: { orders: 19080 },
      deployments: [
        { ...ordersSpec.deployments![0]!, publish: { port: 'http', hostPort: 'orders', nodePort: 30100 } },
      ],
    };
    const { declaration, notes } = await resolve(spec);
    expect(notes[0]).toBe(`kind config: ${FILE}, used as is (it already maps the setup's 1 host port(s))`);
    expect(controlPlane(declaration.cluster.config).extraPortMappings).toHaveLength(2);
  });

  it('resolves ./coverdata against the project root, and mounts it as the coverage directory', async () => {
    const off = await resolve(ordersSpec);
    expect(controlPlane(off.declaration.cluster.config).extraMounts).toEqual([
      { hostPath: join(root, 'coverdata'), containerPath: '/coverdata', readOnly: false },
    ]);
    expect(off.notes.join('\n')).toContain(
      `nodes[0].extraMounts[0].hostPath ./coverdata → ${join(root, 'coverdata')} (a relative hostPath resolves against the project root)`,
    );
    // A real run creates the mounted directory (podman does not) even without coverage.
    expect(off.coverageDir).toBe(join(root, 'coverdata'));

    // With coverage on, the file's mount is where coverage lands: no second /coverdata mount.
    const on = await resolve(ordersSpec, { env: { E2E_COVERAGE: 'true' } });
    expect(on.coverageDir).toBe(join(root, 'coverdata'));
    expect(controlPlane(on.declaration.cluster.config).extraMounts).toHaveLength(1);
    expect(on.declaration.images.filter(isBuiltImage)[0]?.build.enableCoverage).toBe(true);
  });

  it('refuses an E2E_COVERDIR other than the directory the file mounts at /coverdata, naming both', async () => {
    const error = await configErrorOf(
      resolve(ordersSpec, { env: { E2E_COVERAGE: 'true', E2E_COVERDIR: '/tmp/elsewhere' } }),
    );
    expect(error.message).toContain(`kind config ${FILE} of service "orders"`);
    expect(error.issues[0]?.path).toBe('setup coverage directory (E2E_COVERDIR)');
    expect(error.issues[0]?.message).toContain(
      `${join(root, 'coverdata')} by ${FILE} nodes[0].extraMounts[0]`,
    );
    expect(error.issues[0]?.message).toContain('/tmp/elsewhere');
  });

  it('refuses a host port the file maps to another node port, naming the file’s entry and the setup’s', async () => {
    const error = await configErrorOf(resolve(ordersSpec, { hostPorts: { admin: 19090 } }));
    expect(error.message).toContain(`Invalid kind config ${FILE} of service "orders"`);
    expect(error.issues).toEqual([
      {
        path: 'setup hostPorts.admin',
        message: `host port 19090/TCP is mapped to container port 30190 by ${FILE} nodes[0].extraPortMappings[1] and to container port 30101 by setup hostPorts.admin — change one of the two host ports`,
      },
    ]);
  });

  it('refuses a kind config that is not kind.x-k8s.io/v1alpha4, naming the file and the field', async () => {
    const file = 'test/infrastructure/kind-v1alpha3.yaml';
    await writeFile(join(root, file), KIND_CONFIG.replace('v1alpha4', 'v1alpha3'));
    const error = await configErrorOf(resolve({ ...ordersSpec, kindConfig: file }));
    expect(error.message).toContain(
      `Invalid kind config ${join(root, file)} (kindConfig of service "orders")`,
    );
    expect(error.issues.map((i) => i.path)).toEqual(['apiVersion']);
    expect(error.issues[0]?.message).toContain('"kind.x-k8s.io/v1alpha4"');
    expect(error.issues[0]?.message).toContain('line 2');
  });

  it('refuses a kind config file that does not exist, at the field that named it', async () => {
    const error = await configErrorOf(
      resolve({ ...ordersSpec, kindConfig: 'test/infrastructure/nope.yaml' }),
    );
    expect(error.issues).toEqual([
      {
        path: 'kindConfig of service "orders"',
        message: `${join(root, 'test/infrastructure/nope.yaml')} does not exist`,
      },
    ]);
  });

  it('takes the caller’s kindConfig option over the service’s, and false for the config the setup builds', async () => {
    const other = 'test/infrastructure/kind-other.yaml';
    await writeFile(join(root, other), 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
    const fromOption = await resolve(ordersSpec, { kindConfig: other });
    expect(fromOption.notes[0]).toBe(`kind config: ${other}, merged: the setup added 2 port mappings`);

    const built = await resolve(ordersSpec, { kindConfig: false });
    expect(built.notes).toEqual([
      'kind config: built by the setup (setup option kindConfig: false), one control-plane node publishing 2 host port(s)',
    ]);
    expect(controlPlane(built.declaration.cluster.config).extraMounts).toBeUndefined();

    const error = await configErrorOf(resolve(ordersSpec, { kindConfig: 'missing.yaml' }));
    expect(error.issues[0]?.path).toContain('kindConfig option of orders (overrides.orders.kindConfig');
  });

  it('takes kindConfig from the project config’s overrides, and refuses one that is not a path or false', async () => {
    const orders = defineService(ordersSpec);
    const loaded = validateProjectConfig({
      projectRoot: root,
      services: [orders],
      overrides: { orders: { kindConfig: false } },
    });
    const options = serviceOptions(loaded, 'orders', { runtime: 'sim', env: {} });
    expect(options.kindConfig).toBe(false);
    expect((await resolveSetup(orders, options)).notes[0]).toMatch(/^kind config: built by the setup/);

    const error = (() => {
      try {
        validateProjectConfig({ services: [orders], overrides: { orders: { kindConfig: 42 } } });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.issues.map((i) => i.path)).toEqual(['overrides.orders.kindConfig']);
  });
});
