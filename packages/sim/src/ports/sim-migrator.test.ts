import { CommandError, ConfigError, NotReadyError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER,
  KUBECONFIG,
  kindConfig,
  NS,
  namespace,
  PG,
  postgresql,
  redis,
} from '../testing-internal/gateway-fixture.js';
import { createSimToolchain } from '../toolchain.js';

async function withPostgres() {
  const sim = createSimToolchain();
  await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG, config: kindConfig });
  const kube = sim.kube(KUBECONFIG);
  await kube.apply([namespace]);
  await kube.apply([...postgresql(), ...redis()]);
  return { sim, kube };
}

const target = (port: number) => ({ host: '127.0.0.1', port, ...PG });

describe('SimMigrator', () => {
  it('fails when nothing is forwarded to the port (PostgreSQL not reachable)', async () => {
    const { sim } = await withPostgres();
    const error = await sim.migrator.migrate(target(5432), '/repo/migrations').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as Error).message).toMatch(/ECONNREFUSED 127\.0\.0\.1:5432/);
  });

  it('fails when PostgreSQL stopped being ready behind the forward, succeeds in 4 s when it is ready', async () => {
    const { sim, kube } = await withPostgres();
    await kube.rolloutStatus('deployment/postgresql', NS, 60_000);
    const pf = await kube.portForward(NS, 'svc/postgresql', 5432);
    const start = sim.clock.now();
    expect(await sim.migrator.migrate(target(pf.localPort), '/repo/migrations')).toEqual({
      applied: [],
      version: 0,
    });
    expect(sim.clock.now() - start).toBe(4_000);
    // A changed spec restarts the rollout: the database is unavailable until it completes.
    const changed = structuredClone(postgresql()[2]!);
    (changed.spec as Record<string, unknown>).minReadySeconds = 1;
    await kube.apply([changed]);
    const error = await sim.migrator
      .migrate(target(pf.localPort), '/repo/migrations')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).lastObservation).toMatch(
      /deployment\/postgresql: waiting for rollout to finish/,
    );
    await pf.close();
  });

  it('needs PostgreSQL, not any ready pod, behind the port', async () => {
    const { sim, kube } = await withPostgres();
    await kube.rolloutStatus('deployment/redis', NS, 60_000);
    const pf = await kube.portForward(NS, 'svc/redis', 6379);
    await expect(sim.migrator.migrate(target(pf.localPort), '/m')).rejects.toThrow(/not PostgreSQL/);
  });

  it('checks the credentials against the Deployment Secret', async () => {
    const { sim, kube } = await withPostgres();
    await kube.rolloutStatus('deployment/postgresql', NS, 60_000);
    const pf = await kube.portForward(NS, 'svc/postgresql', 5432);
    const wrong = await sim.migrator
      .migrate({ ...target(pf.localPort), password: 'nope' }, '/m')
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(CommandError);
    expect((wrong as CommandError).message).toMatch(/password authentication failed for user "slm_user"/);
    await expect(sim.migrator.migrate({ ...target(pf.localPort), database: 'other' }, '/m')).rejects.toThrow(
      /database "other" does not exist/,
    );
  });

  it('rejects a malformed target with ConfigError', async () => {
    const sim = createSimToolchain();
    await expect(sim.migrator.migrate({ ...target(0), user: '' }, '/m')).rejects.toBeInstanceOf(ConfigError);
  });
});
