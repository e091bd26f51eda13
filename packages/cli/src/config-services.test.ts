import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runBin as run } from './testing-internal/run-bin.js';

// The real binary and a project that declares a fifth service in its config file alone: no package is edited.
const WORKSPACE = resolve(import.meta.dirname, '../../..');
const FIXTURE = join(WORKSPACE, 'services', 'fixture-project');

let project: string;
let shims: string;

function runBin(args: string[], cwd = project) {
  return run(args, { cwd, env: { PATH: shims, HOME: shims, CI: 'true' } });
}

const ORDERS_CONFIG = `import { dataStorageStack } from '@kubernaut-e2e/datastorage';
import { defineConfig, defineService } from '@kubernaut-e2e/setup';

const orders = defineService({
  name: 'orders',
  description: 'the orders API, on the DataStorage stack',
  uses: [dataStorageStack],
  hostPorts: { orders: 19080, datastorage: 19081, postgresql: 19432 },
  images: { orders: { dockerfile: 'docker/orders.Dockerfile' } },
  crds: ['config/crd/bases/kubernaut.ai_orders.yaml'],
  deployments: [
    {
      id: 'orders',
      image: 'orders',
      dependsOn: ['datastorage'],
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'orders', nodePort: 30100 },
      env: ({ namespace }) => ({ DATA_STORAGE_URL: \`http://data-storage-service.\${namespace}.svc:8080\` }),
      probes: { readiness: { path: '/readyz', port: 'http' } },
    },
  ],
});

export default defineConfig({ projectRoot: '.', services: [orders], overrides: { orders: { pattern: 'hybrid' } } });
`;

const ORDERS_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: orders.kubernaut.ai
spec:
  group: kubernaut.ai
  names: { kind: Order, listKind: OrderList, plural: orders, singular: order }
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` (pnpm test does) first`);
  shims = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-shims-'));
  for (const tool of ['podman', 'docker', 'kind', 'kubectl']) {
    await writeFile(join(shims, tool), `#!/bin/sh\necho "${tool} $*" >> "${shims}/calls.log"\nexit 1\n`);
    await chmod(join(shims, tool), 0o755);
  }
  project = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-orders-'));
  // The project's own image and CRD, and the migrations the DataStorage stack applies.
  await mkdir(join(project, 'docker'));
  await writeFile(join(project, 'docker', 'orders.Dockerfile'), 'FROM scratch\nCOPY cmd/orders/ /app/\n');
  await cp(join(FIXTURE, 'docker'), join(project, 'docker'), { recursive: true });
  await cp(join(FIXTURE, 'migrations'), join(project, 'migrations'), { recursive: true });
  await cp(join(FIXTURE, 'deploy'), join(project, 'deploy'), { recursive: true });
  await mkdir(join(project, 'config', 'crd', 'bases'), { recursive: true });
  await writeFile(join(project, 'config', 'crd', 'bases', 'kubernaut.ai_orders.yaml'), ORDERS_CRD);
  await writeFile(join(project, 'kubernaut-e2e.config.ts'), ORDERS_CONFIG);
  // The packages, installed as npm lays them out.
  await mkdir(join(project, 'node_modules', '@kubernaut-e2e'), { recursive: true });
  const installed: [string, string][] = [
    ['setup', 'packages/setup'],
    ['datastorage', 'services/datastorage'],
  ];
  for (const [name, dir] of installed)
    await symlink(join(WORKSPACE, dir), join(project, 'node_modules', '@kubernaut-e2e', name));
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
  await rm(shims, { recursive: true, force: true });
});

describe('a fifth service from the project config alone, through the real binary', () => {
  it('--help lists the services the config declares', async () => {
    const run = await runBin(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Services (from ${join(project, 'kubernaut-e2e.config.ts')})`);
    expect(run.stdout).toMatch(/orders\s+the orders API, on the DataStorage stack/);
    expect(run.stdout).not.toContain('gateway');
  });

  it('plan shows the graph in the pattern the config chose for it', async () => {
    const run = await runBin(['plan', 'orders']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Plan for orders (hybrid)');
    expect(run.stdout).toMatch(/deploy:orders\s+← .*ready:datastorage/);
    expect(run.stdout).toMatch(/build:orders/);
    expect(run.stdout).toMatch(/crds\s+←/);
  });

  it('up --runtime sim sets it up and prints its endpoint; nothing real ran', async () => {
    const run = await runBin(['up', 'orders', '--runtime', 'sim']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('orders infrastructure is ready (hybrid, sim)');
    expect(run.stdout).toMatch(/ordersUrl\s+http:\/\/localhost:19080/);
    expect(run.stdout).toMatch(/dataStorageUrl\s+https:\/\/localhost:19081/);
    expect(existsSync(join(shims, 'calls.log'))).toBe(false);
    // The config is loaded from a JavaScript copy beside it; the copy is gone.
    expect((await readdir(project)).filter((f) => f.startsWith('.kubernaut-e2e.config'))).toEqual([]);
  });

  it('two services may share a host port: suites that never run together each plan (set up at once, one is refused)', async () => {
    const dir = await mkdtemp(join(project, 'shared-port-'));
    await symlink(join(project, 'node_modules'), join(dir, 'node_modules'));
    for (const part of ['docker', 'migrations', 'deploy', 'config'])
      await cp(join(project, part), join(dir, part), { recursive: true });
    await writeFile(
      join(dir, 'kubernaut-e2e.config.ts'),
      ORDERS_CONFIG.replace(
        'services: [orders]',
        "services: [orders, defineService({ ...orders.spec, name: 'billing', pattern: 'dag' })]",
      ),
    );
    expect((await runBin(['plan', 'orders'], dir)).code).toBe(0);
    expect((await runBin(['plan', 'billing'], dir)).code).toBe(0);
    // Set up at once in one process, the second is refused naming the port (services/gateway's gateway.test.ts).
    expect(existsSync(join(shims, 'calls.log'))).toBe(false);
  });

  it('an unknown service is refused with the services the config declares', async () => {
    const run = await runBin(['plan', 'gateway']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown service "gateway"');
    expect(run.stderr).toContain(`declared in ${join(project, 'kubernaut-e2e.config.ts')}: orders`);
  });
});

describe('bad project configs: exit 2, the file and the field named, nothing run', () => {
  it.each([
    [
      'an unknown field',
      ORDERS_CONFIG.replace("projectRoot: '.',", "projectRoot: '.', colour: 'blue',"),
      'colour',
    ],
    [
      'a duplicate service name',
      ORDERS_CONFIG.replace('services: [orders]', 'services: [orders, orders]'),
      'services[1]',
    ],
    [
      'an image id no component uses',
      ORDERS_CONFIG.replace(
        "images: { orders: { dockerfile: 'docker/orders.Dockerfile' } },",
        "images: { orders: { dockerfile: 'docker/orders.Dockerfile' }, billing: { dockerfile: 'docker/b.Dockerfile' } },",
      ),
      'images.billing',
    ],
    [
      'a dependsOn that names nothing',
      ORDERS_CONFIG.replace("dependsOn: ['datastorage']", "dependsOn: ['datastore']"),
      'deployments[0].dependsOn[0]',
    ],
    ['a config file that throws', `throw new Error('checkout not found');\n${ORDERS_CONFIG}`, '(module)'],
  ])('%s', async (_, config, field) => {
    const dir = await mkdtemp(join(project, 'bad-'));
    await symlink(join(project, 'node_modules'), join(dir, 'node_modules'));
    await writeFile(join(dir, 'kubernaut-e2e.config.ts'), config);
    const run = await runBin(['up', 'orders', '--runtime', 'sim'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(dir, 'kubernaut-e2e.config.ts'));
    expect(run.stderr).toContain(`→ at ${field}`);
    expect(run.stderr).toContain('Nothing was run');
    expect(run.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(existsSync(join(shims, 'calls.log'))).toBe(false);
  });
});
