import { existsSync } from 'node:fs';
import { CommandError, ConfigError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { CLUSTER, KUBECONFIG, kindConfig } from '../testing-internal/gateway-fixture.js';
import { createSimToolchain } from '../toolchain.js';

const request = { name: CLUSTER, kubeconfigPath: KUBECONFIG, config: kindConfig };

describe('SimClusterProvider', () => {
  it('creates a cluster in 12 s and records its port mappings; writes no kubeconfig file', async () => {
    const sim = createSimToolchain();
    expect(await sim.cluster.exists(CLUSTER)).toBe(false);
    const info = await sim.cluster.create(request);
    expect(info).toEqual({ name: CLUSTER, kubeconfigPath: KUBECONFIG, reused: false });
    expect(sim.clock.now()).toBe(12_000);
    expect(await sim.cluster.exists(CLUSTER)).toBe(true);
    expect(sim.world.clusters.get(CLUSTER)?.portMappings?.map((m) => [m.hostPort, m.containerPort])).toEqual([
      [8080, 30080],
      [8081, 30081],
    ]);
    expect(await sim.cluster.kubeconfig(CLUSTER, '/tmp/sim-other.kubeconfig')).toBe(
      '/tmp/sim-other.kubeconfig',
    );
    expect(existsSync(KUBECONFIG)).toBe(false);
    expect(existsSync('/tmp/sim-other.kubeconfig')).toBe(false);
  });

  it('fails like kind when the cluster exists, reuses it in 1 s, or recreates it empty', async () => {
    const sim = createSimToolchain();
    await sim.cluster.create(request);
    sim.world.clusters.get(CLUSTER)!.nodeImages.add('localhost/k/a:1');
    const error = await sim.cluster.create(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).stderrTail[0]).toContain(
      'node(s) already exist for a cluster with the name "gateway-e2e"',
    );

    const before = sim.clock.now();
    expect((await sim.cluster.create({ ...request, ifExists: 'reuse' })).reused).toBe(true);
    expect(sim.clock.now() - before).toBe(1_000);
    expect(await sim.cluster.listNodeImages(CLUSTER)).toEqual(['localhost/k/a:1']);

    await sim.cluster.create({ ...request, ifExists: 'recreate' });
    expect(await sim.cluster.listNodeImages(CLUSTER)).toEqual([]);
  });

  it('a deleted cluster is gone, with its node images; deleting again succeeds like kind', async () => {
    const sim = createSimToolchain();
    await sim.cluster.create(request);
    sim.world.clusters.get(CLUSTER)!.nodeImages.add('localhost/k/a:1');
    await sim.cluster.delete(CLUSTER);
    expect(await sim.cluster.exists(CLUSTER)).toBe(false);
    await expect(sim.cluster.listNodeImages(CLUSTER)).rejects.toThrow(
      /no nodes found for cluster "gateway-e2e"/,
    );
    await sim.cluster.delete(CLUSTER);
    await sim.cluster.create(request);
    expect(await sim.cluster.listNodeImages(CLUSTER)).toEqual([]);
  });

  it('refuses a second cluster publishing the same host port', async () => {
    const sim = createSimToolchain();
    await sim.cluster.create(request);
    await expect(
      sim.cluster.create({ ...request, name: 'other', kubeconfigPath: '/tmp/other' }),
    ).rejects.toThrow(/Bind for 0\.0\.0\.0:8080 failed: port is already allocated/);
  });

  it('rejects a bad name or a malformed config with ConfigError before any time passes', async () => {
    const sim = createSimToolchain();
    await expect(sim.cluster.create({ ...request, name: 'Gateway_E2E' })).rejects.toBeInstanceOf(ConfigError);
    const bad = {
      nodes: [{ role: 'control-plane', extraPortMappings: [{ containerPort: 30080, hostPort: 'eighty' }] }],
    };
    const error = await sim.cluster.create({ ...request, config: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe('nodes[0].extraPortMappings[0].hostPort');
    expect(sim.clock.now()).toBe(0);
  });

  it('loadArchive needs the cluster and the archive; exportLogs records the directory only', async () => {
    const sim = createSimToolchain();
    await expect(sim.cluster.loadArchive(CLUSTER, '/tmp/a.tar')).rejects.toThrow(
      /no nodes found for cluster/,
    );
    await sim.cluster.create(request);
    await expect(sim.cluster.loadArchive(CLUSTER, '/tmp/a.tar')).rejects.toThrow(/no such file/);
    await sim.cluster.exportLogs(CLUSTER, '/tmp/sim-logs-dir');
    expect(sim.world.clusters.get(CLUSTER)?.logExports).toEqual(['/tmp/sim-logs-dir']);
    expect(existsSync('/tmp/sim-logs-dir')).toBe(false);
  });

  it('pre-existing clusters from the options exist and can be reused', async () => {
    const sim = createSimToolchain({ existingClusters: [CLUSTER] });
    expect(await sim.cluster.exists(CLUSTER)).toBe(true);
    const info = await sim.cluster.create({ ...request, ifExists: 'reuse' });
    expect(info.reused).toBe(true);
    expect(sim.clock.now()).toBe(1_000);
    // Its config was unknown: the reusing request's port mappings are adopted.
    expect(sim.world.clusters.get(CLUSTER)?.portMappings?.length).toBe(2);
  });
});
