import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKindProvider } from '@kubernaut-e2e/cluster';
import { RunLedger } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { createKubectlClient } from '@kubernaut-e2e/deployers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveRegistry, withRegistryNodes } from './registry-mode.js';

// The argv contract of what registry mode adds right after `kind create cluster`.
const NAME = 'orders-e2e';
const podmanEnv = { KIND_EXPERIMENTAL_PROVIDER: 'podman' } as const;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-nodes-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function kindCreates(runner: ScriptedRunner, nodes: readonly string[]): void {
  runner.expect(
    { argv: ['kind', 'get', 'clusters'], env: podmanEnv, stderr: 'No kind clusters found.\n' },
    {
      match: (argv) => argv[0] === 'kind' && argv[1] === 'create',
      env: podmanEnv,
      respond: ({ argv }) => {
        writeFileSync(argv[argv.indexOf('--kubeconfig') + 1]!, 'apiVersion: v1\nkind: Config\n');
        return {};
      },
    },
    { argv: ['kind', 'get', 'nodes', '--name', NAME], env: podmanEnv, stdout: `${nodes.join('\n')}\n` },
  );
}

// Each provider writes its kind config into a ledger temp dir; the scripted kind never deletes a cluster.
const ledgers: RunLedger[] = [];
afterEach(async () => {
  for (const ledger of ledgers.splice(0)) await ledger.cleanup({ keepKinds: ['cluster'] });
});

function setUp(runner: ScriptedRunner, registry: Parameters<typeof resolveRegistry>[0]) {
  const ledger = new RunLedger();
  ledgers.push(ledger);
  const kind = createKindProvider({ runner, engine: 'podman', ledger });
  return withRegistryNodes(kind, {
    runner,
    engine: 'podman',
    registry: resolveRegistry(registry)!,
    kube: (kubeconfigPath) => createKubectlClient({ runner, kubeconfigPath }),
  });
}

const hostsFor = (node: string, hostPort: string) => [
  { argv: ['podman', 'exec', node, 'mkdir', '-p', `/etc/containerd/certs.d/${hostPort}`] },
  {
    match: (argv: readonly string[]) =>
      argv.join(' ') ===
      `podman exec -i ${node} cp /dev/stdin /etc/containerd/certs.d/${hostPort}/hosts.toml`,
  },
];

describe('withRegistryNodes', () => {
  it("after kind creates the cluster: joins kind-registry to the network, writes every node's hosts.toml, applies the hosting ConfigMap", async () => {
    const runner = new ScriptedRunner();
    kindCreates(runner, ['orders-e2e-control-plane', 'orders-e2e-worker']);
    runner.expect(
      { argv: ['podman', 'network', 'connect', 'kind', 'kind-registry'] },
      ...hostsFor('orders-e2e-control-plane', 'localhost:5001'),
      ...hostsFor('orders-e2e-worker', 'localhost:5001'),
      { match: (argv) => argv[0] === 'kubectl' && argv.includes('apply') },
    );
    const kubeconfigPath = join(dir, 'kubeconfig');
    const info = await setUp(runner, 'local').create({ name: NAME, kubeconfigPath, waitMs: 60_000 });
    expect(info.kubeconfigPath).toBe(kubeconfigPath);
    runner.assertAllUsed();

    const hosts = runner.calls.find((c) => c.argv.includes('/dev/stdin'))!;
    expect(hosts.options.input).toBe(
      '[host."http://kind-registry:5000"]\n  capabilities = ["pull", "resolve"]\n',
    );
    const apply = runner.calls.at(-1)!;
    expect(apply.argv).toContain(kubeconfigPath);
    const manifest = apply.options.input as string;
    expect(manifest).toContain('kind: ConfigMap');
    expect(manifest).toMatch(/name: local-registry-hosting\n\s+namespace: kube-public/);
    expect(manifest).toContain('host: "localhost:5001"');
  });

  it('a registry that is not kind-registry is not joined to the kind network; nodes reach its endpoint', async () => {
    const runner = new ScriptedRunner();
    kindCreates(runner, ['orders-e2e-control-plane']);
    runner.expect(...hostsFor('orders-e2e-control-plane', 'localhost:5900'), {
      match: (argv) => argv[0] === 'kubectl' && argv.includes('apply'),
    });
    await setUp(runner, { url: 'localhost:5900', endpoint: 'http://172.18.0.1:5900' }).create({
      name: NAME,
      kubeconfigPath: join(dir, 'kubeconfig'),
      waitMs: 60_000,
    });
    runner.assertAllUsed();
    expect(runner.argvs.some((argv) => argv.includes('network'))).toBe(false);
    expect(runner.calls.find((c) => c.argv.includes('/dev/stdin'))!.options.input).toContain(
      '[host."http://172.18.0.1:5900"]',
    );
  });
});
