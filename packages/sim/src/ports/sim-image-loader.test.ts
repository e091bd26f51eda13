import { CommandError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { CLUSTER, datastorageBuild, gatewayBuild, KUBECONFIG } from '../testing-internal/gateway-fixture.js';
import { createSimToolchain } from '../toolchain.js';

async function setup() {
  const sim = createSimToolchain({ cachedImages: 'all' });
  const gw = await sim.imageBuilder.build(gatewayBuild);
  const ds = await sim.imageBuilder.build(datastorageBuild);
  return { sim, gw: gw.ref, ds: ds.ref };
}

describe('SimImageLoader', () => {
  it('fails when the cluster does not exist yet', async () => {
    const { sim, gw } = await setup();
    const error = await sim.imageLoader.load([gw], CLUSTER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).message).toMatch(/no nodes found for cluster "gateway-e2e"/);
  });

  it('fails for an image the engine never built', async () => {
    const { sim } = await setup();
    await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG });
    await expect(sim.imageLoader.load(['localhost/kubernaut/never:x'], CLUSTER)).rejects.toThrow(
      /image not known/,
    );
    expect(await sim.cluster.listNodeImages(CLUSTER)).toEqual([]);
  });

  it('loads several images as one archive: 10 s + 5 s per image, then they are on the nodes', async () => {
    const { sim, gw, ds } = await setup();
    await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG });
    const start = sim.clock.now();
    const report = await sim.imageLoader.load([gw, ds], CLUSTER);
    expect(sim.clock.now() - start).toBe(20_000);
    expect(report).toEqual({ loaded: [gw, ds], skipped: [] });
    expect(await sim.cluster.listNodeImages(CLUSTER)).toEqual([ds, gw].sort());
    expect(sim.world.archives.size).toBe(0); // the archive is removed after the load
  });

  it('skips images already on the nodes; loading nothing new costs 0 s', async () => {
    const { sim, gw, ds } = await setup();
    await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG });
    await sim.imageLoader.load([gw], CLUSTER);
    let start = sim.clock.now();
    expect(await sim.imageLoader.load([gw], CLUSTER)).toEqual({ loaded: [], skipped: [gw] });
    expect(sim.clock.now() - start).toBe(0);
    start = sim.clock.now();
    expect(await sim.imageLoader.load([gw, ds], CLUSTER)).toEqual({ loaded: [ds], skipped: [gw] });
    expect(sim.clock.now() - start).toBe(15_000);
  });

  it('a deleted cluster loses its images: a new cluster of the same name needs them loaded again', async () => {
    const { sim, gw } = await setup();
    await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG });
    await sim.imageLoader.load([gw], CLUSTER);
    await sim.cluster.delete(CLUSTER);
    await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG });
    expect((await sim.imageLoader.load([gw], CLUSTER)).loaded).toEqual([gw]);
  });
});
