import { describe, expect, it } from 'vitest';
import {
  CLUSTER,
  crd,
  datastorage,
  datastorageBuild,
  GATEWAY_HOST_PORT,
  gateway,
  gatewayBuild,
  KUBECONFIG,
  kindConfig,
  NS,
  namespace,
  PG,
  postgresql,
  redis,
} from '../testing-internal/gateway-fixture.js';
import { createSimToolchain, type SimToolchain } from '../toolchain.js';

/**
 * The gateway setup of the seed, driven by hand through the simulated ports under each pattern's
 * ordering. These are the sanity targets the orchestrator's planner must reproduce.
 */
const ROLLOUT_MS = 300_000;

function steps(sim: SimToolchain, ifExists: 'fail' | 'reuse' = 'fail') {
  const kube = sim.kube(KUBECONFIG);
  const deploy = async (objects: Parameters<typeof kube.apply>[0], name: string) => {
    await kube.apply(objects);
    await kube.rolloutStatus(`deployment/${name}`, NS, ROLLOUT_MS);
  };
  return {
    buildGateway: () => sim.imageBuilder.build(gatewayBuild),
    buildDatastorage: () => sim.imageBuilder.build(datastorageBuild),
    /** Cluster: 12 s cold, 1 s reused. */
    cluster: () =>
      sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG, config: kindConfig, ifExists }),
    /** CRDs and namespace: 3 + 1 s. */
    crdsNamespace: async () => {
      await kube.apply([crd]);
      await kube.waitFor(`crd/${crd.metadata.name}`, 'condition=Established', undefined, 60_000);
      await kube.apply([namespace]);
    },
    load: (refs: string[]) => sim.imageLoader.load(refs, CLUSTER),
    postgresql: () => deploy(postgresql(), 'postgresql'),
    redis: () => deploy(redis(), 'redis'),
    migrate: async () => {
      const pf = await kube.portForward(NS, 'svc/postgresql', 5432);
      try {
        await sim.migrator.migrate({ host: '127.0.0.1', port: pf.localPort, ...PG }, '/repo/migrations');
      } finally {
        await pf.close();
      }
    },
    datastorage: (ref: string) => deploy(datastorage(ref), 'datastorage'),
    gateway: async (ref: string) => {
      await deploy(gateway(ref), 'gateway');
      await sim.prober.waitUntilReady(
        { kind: 'http', url: `http://localhost:${GATEWAY_HOST_PORT}/health` },
        { timeoutMs: 60_000 },
      );
    },
  };
}

/** dag: only real data dependencies. */
async function runDag(sim: SimToolchain, ifExists: 'fail' | 'reuse' = 'fail'): Promise<number> {
  const start = sim.clock.now();
  const s = steps(sim, ifExists);
  const cluster = s.cluster();
  const infra = cluster.then(s.crdsNamespace);
  const gw = s.buildGateway();
  const ds = s.buildDatastorage();
  // A load needs only the cluster and its image, not the CRDs or the namespace.
  const gwLoaded = Promise.all([gw, cluster]).then(([b]) => s.load([b.ref]));
  const dsLoaded = Promise.all([ds, cluster]).then(([b]) => s.load([b.ref]));
  const pg = infra.then(s.postgresql);
  const rd = infra.then(s.redis);
  const migrated = pg.then(s.migrate);
  const dsReady = Promise.all([ds, dsLoaded, migrated]).then(([b]) => s.datastorage(b.ref));
  await Promise.all([gw, gwLoaded, dsReady, rd]).then(([b]) => s.gateway(b.ref));
  return sim.clock.now() - start;
}

/** standard (the seed's old way): cluster first; each build followed by its load; deploys one by one. */
async function runStandard(sim: SimToolchain): Promise<number> {
  const s = steps(sim);
  await s.cluster();
  await s.crdsNamespace();
  const buildThenLoad = async (build: () => ReturnType<typeof s.buildGateway>) => {
    const built = await build();
    await s.load([built.ref]);
    return built;
  };
  const [gw, ds] = await Promise.all([buildThenLoad(s.buildGateway), buildThenLoad(s.buildDatastorage)]);
  await s.postgresql();
  await s.redis();
  await s.migrate();
  await s.datastorage(ds.ref);
  await s.gateway(gw.ref);
  return sim.clock.now();
}

/** hybrid (the seed's new way): builds, cluster, loads in parallel, PG ∥ Redis ∥ migrations→DataStorage, gateway. */
async function runHybrid(sim: SimToolchain): Promise<number> {
  const s = steps(sim);
  const [gw, ds] = await Promise.all([s.buildGateway(), s.buildDatastorage()]);
  await s.cluster();
  await s.crdsNamespace();
  await Promise.all([s.load([gw.ref]), s.load([ds.ref])]);
  await Promise.all([
    s
      .postgresql()
      .then(s.migrate)
      .then(() => s.datastorage(ds.ref)),
    s.redis(),
  ]);
  await s.gateway(gw.ref);
  return sim.clock.now();
}

describe('gateway setup by hand on the simulated toolchain', () => {
  it('dag: 128 s = gateway build 105 → load 15 → gateway ready 8 (the critical-path bound)', async () => {
    const sim = createSimToolchain();
    expect(await runDag(sim)).toBe(128_000);
    const cluster = sim.world.clusters.get(CLUSTER)!;
    expect([...cluster.deployments.keys()].sort()).toEqual([
      `${NS}/datastorage`,
      `${NS}/gateway`,
      `${NS}/postgresql`,
      `${NS}/redis`,
    ]);
    expect(sim.world.portForwards.size).toBe(0);
  });

  it('standard: 173 s (seed: ~174 s)', async () => {
    expect(await runStandard(createSimToolchain())).toBe(173_000);
  });

  it('hybrid: 168 s', async () => {
    expect(await runHybrid(createSimToolchain())).toBe(168_000);
  });

  it('is exact and repeatable', async () => {
    const timelines = await Promise.all(
      [1, 2].map(async () => {
        const sim = createSimToolchain();
        await runDag(sim);
        return sim.world.events.map((e) => `${e.at}:${e.op}:${e.subject}:${e.phase}`);
      }),
    );
    expect(timelines[1]).toEqual(timelines[0]);
  });

  it('warm, fresh cluster: builds are cached (1 s) and the rest runs as cold', async () => {
    const sim = createSimToolchain({ cachedImages: 'all' });
    // cluster + CRDs + namespace 16 → PG 10 → migrations 4 → DataStorage 2 + 8 → gateway 8 = 48 s (the loads,
    // after the 12 s cluster, finish at 27 s).
    expect(await runDag(sim)).toBe(48_000);
  });

  it('warm, reused cluster: a second run keeps node images and ready Deployments', async () => {
    const sim = createSimToolchain();
    await runDag(sim);
    // Reuse 1 → CRDs 3 → namespace 1 → loads skipped, unchanged Deployments ready at once → migrations 4 →
    // DataStorage RBAC 2 = 11 s.
    expect(await runDag(sim, 'reuse')).toBe(11_000);
  });

  it('warm, reused cluster given as existingClusters: the same 11 s on a fresh toolchain', async () => {
    const sim = createSimToolchain({ cachedImages: 'all', existingClusters: [CLUSTER] });
    expect(await runDag(sim, 'reuse')).toBe(11_000);
  });

  it("an existing cluster in state 'empty' holds nothing: everything loads and rolls out", async () => {
    const sim = createSimToolchain({
      cachedImages: 'all',
      existingClusters: [{ name: CLUSTER, state: 'empty' }],
    });
    // reuse 1 → CRDs + namespace 5 → PG 15 → migrations 19 → DataStorage 2 + 8 = 29 → gateway 37
    // (the loads, 15 s each after the 1 s reuse, are done at 16).
    expect(await runDag(sim, 'reuse')).toBe(37_000);
  });
});
