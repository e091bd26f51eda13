import { join } from 'node:path';
import { ConfigError, RUN_LABEL, SERVICE_LABEL } from '@kubernaut-e2e/core';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { existingKubeconfigPath, runNamespace } from './existing-cluster.js';
import { defaultKubeconfigPath } from './options.js';
import { FIXTURE_PROJECT_ROOT } from './project-root.js';
import { defineService } from './service/define-service.js';
import { resolveSetup, setupInfrastructure } from './setup-infrastructure.js';

const orders = defineService({
  name: 'orders',
  hostPorts: { orders: 19380 },
  images: { orders: { dockerfile: 'docker/gateway.Dockerfile' } },
  deployments: [
    {
      id: 'orders',
      image: 'orders',
      dependsOn: [],
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'orders', nodePort: 30100 },
      probes: { readiness: { path: '/readyz', port: 'http' } },
    },
  ],
});

const existing = { existing: { context: 'ci-shared', kubeconfig: '/tmp/ci.kubeconfig' } };
const base = { projectRoot: FIXTURE_PROJECT_ROOT, env: {}, runtime: 'podman' } as const;

async function issuesOf(run: Promise<unknown>) {
  const error = await run.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).issues;
}

describe('runNamespace', () => {
  it('is <service>-<run id>, a DNS-1123 label of at most 63 characters that keeps the whole run id', () => {
    expect(runNamespace('gateway', '20261202T083319Z-d25c1a2b')).toBe('gateway-20261202t083319z-d25c1a2b');
    const long = runNamespace(
      'a-very-long-service-name-that-goes-on-and-on-and-on',
      '20261202T083319Z-d25c1a2b',
    );
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(long.endsWith('-20261202t083319z-d25c1a2b')).toBe(true);
    expect(runNamespace('Orders_API', '20261202T083319Z-d25c1a2b')).toBe(
      'orders-api-20261202t083319z-d25c1a2b',
    );
    // A caller's ledger may name its run with `_` and `.`: the namespace still is a DNS-1123 label.
    expect(runNamespace('orders', 'My_Run.7')).toBe('orders-my-run-7');
  });
});

describe('existingKubeconfigPath', () => {
  it('is the option, else KUBECONFIG’s first entry, else ~/.kube/config', () => {
    expect(existingKubeconfigPath('/k/given', { KUBECONFIG: '/k/a' })).toBe('/k/given');
    expect(existingKubeconfigPath(undefined, { KUBECONFIG: '/k/a:/k/b' })).toBe('/k/a');
    expect(existingKubeconfigPath(undefined, {}, '/home/ci')).toBe(join('/home/ci', '.kube', 'config'));
  });
});

describe('resolveSetup with cluster.existing', () => {
  it('puts the run in its own labelled namespace, with its own kubeconfig file, and plans pushes', async () => {
    const setup = await resolveSetup(orders, {
      ...base,
      cluster: existing,
      registry: { url: 'registry.example.com:5000/e2e' },
    });
    expect(setup.namespace).toBe(`orders-${setup.runId.toLowerCase()}`);
    expect(setup.existingCluster).toEqual({
      context: 'ci-shared',
      kubeconfig: '/tmp/ci.kubeconfig',
      namespace: setup.namespace,
    });
    expect(setup.kubeconfigPath).toBe(defaultKubeconfigPath(setup.namespace));
    expect(setup.declaration.namespace).toEqual({
      name: setup.namespace,
      labels: { [RUN_LABEL]: setup.runId, [SERVICE_LABEL]: 'orders' },
    });
    expect(setup.declaration.cluster.ifExists).toBe('reuse');
    expect(setup.registry?.address).toBe('registry.example.com:5000/e2e');
    expect(setup.plan.steps.find((s) => s.id === 'load:orders')?.deps).not.toContain('cluster');
    // Two runs of one service never share a namespace.
    const other = await resolveSetup(orders, {
      ...base,
      cluster: existing,
      registry: { url: 'r.example.com:5000' },
    });
    expect(other.namespace).not.toBe(setup.namespace);
  });

  it('without cluster.existing, the namespace is the service’s (kubernaut-system)', async () => {
    const setup = await resolveSetup(orders, { ...base, runtime: 'sim' });
    expect(setup.namespace).toBe('kubernaut-system');
    expect(setup.existingCluster).toBeUndefined();
  });

  it.each([
    ['no registry', {}, 'registry'],
    ["kind's local registry", { registry: 'local' as const }, 'registry'],
    [
      'a registry that is not host:port[/prefix]',
      { registry: { url: 'registry.example.com/e2e' } },
      'registry.url',
    ],
  ])('refuses %s, naming the field, before anything runs', async (_, extra, field) => {
    const issues = await issuesOf(resolveSetup(orders, { ...base, cluster: existing, ...extra }));
    expect(issues[0]!.path).toBe(field);
  });

  it.each([
    ['existing without a context', { existing: { context: '' } }, 'cluster.existing.context'],
    ['an unknown key', { existing: { context: 'ci', namespace: 'x' } }, 'cluster.existing.namespace'],
  ])('refuses %s, naming the field', async (_, cluster, field) => {
    const issues = await issuesOf(
      resolveSetup(orders, { ...base, registry: { url: 'localhost:5000' }, cluster: cluster as never }),
    );
    expect(issues[0]!.path).toBe(field);
  });

  it('plans on the simulated toolchain (what `plan` does), but a run there is refused naming cluster', async () => {
    const options = {
      ...base,
      runtime: 'sim' as const,
      cluster: existing,
      registry: { url: 'localhost:5000/e2e' },
    };
    expect((await resolveSetup(orders, options)).namespace).toMatch(/^orders-/);
    const issues = await issuesOf(setupInfrastructure(orders, options));
    expect(issues[0]!.path).toBe('cluster');
  });

  it('refuses a toolchain whose cluster provider is not the existing-cluster one, before anything runs', async () => {
    const toolchain = createSimToolchain({ registry: 'localhost:5000/e2e' });
    const issues = await issuesOf(
      setupInfrastructure(orders, {
        ...base,
        toolchain,
        cluster: existing,
        registry: { url: 'localhost:5000/e2e' },
      }),
    );
    expect(issues[0]!.path).toBe('cluster');
    expect(toolchain.world.clusters.size).toBe(0);
  });
});
