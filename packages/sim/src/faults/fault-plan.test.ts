import { CancelledError, CommandError, ConfigError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { defaultTimingProfile } from '../profile/default-profile.js';
import {
  CLUSTER,
  datastorageBuild,
  gatewayBuild,
  KUBECONFIG,
  NS,
  namespace,
  redis,
} from '../testing-internal/gateway-fixture.js';
import { createSimToolchain } from '../toolchain.js';
import { SimulatedFaultError } from './simulated-fault-error.js';

describe('fault injection', () => {
  it('fail: the matching call fails every time with a non-transient CommandError; others run normally', async () => {
    const sim = createSimToolchain({ faults: [{ op: 'build', target: 'gateway', fail: true }] });
    const error = await sim.imageBuilder.build(gatewayBuild).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulatedFaultError);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).code).toBe('KE_COMMAND');
    expect((error as CommandError).transient).toBe(false);
    expect((error as CommandError).argv.slice(0, 2)).toEqual(['podman', 'build']);
    expect((error as CommandError).message).toMatch(/exit status 1/);
    await expect(sim.imageBuilder.build(gatewayBuild)).rejects.toBeInstanceOf(SimulatedFaultError);
    expect((await sim.imageBuilder.build(datastorageBuild)).cached).toBe(false);
  });

  it('failTransient: N fails N times marked transient, then succeeds', async () => {
    const sim = createSimToolchain({ faults: [{ op: 'cluster-create', failTransient: 2 }] });
    const request = { name: CLUSTER, kubeconfigPath: KUBECONFIG };
    for (let attempt = 1; attempt <= 2; attempt++) {
      const error = await sim.cluster.create(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SimulatedFaultError);
      expect((error as SimulatedFaultError).transient).toBe(true);
    }
    expect((await sim.cluster.create(request)).reused).toBe(false);
    expect(sim.clock.now()).toBe(12_000);
  });

  it('hang: the call never finishes until its signal aborts; nothing is left behind', async () => {
    const sim = createSimToolchain({ faults: [{ op: 'load', hang: true }], cachedImages: 'all' });
    const { ref } = await sim.imageBuilder.build(gatewayBuild);
    await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG });
    const controller = new AbortController();
    const load = sim.imageLoader.load([ref], CLUSTER, { signal: controller.signal });
    // Something else (the scheduler's timeout) runs on the same clock while the load hangs.
    await sim.clock.sleep(600_000);
    controller.abort(new CancelledError('load timed out'));
    await expect(load).rejects.toThrow('load timed out');
    expect(await sim.cluster.listNodeImages(CLUSTER)).toEqual([]);
    expect(sim.world.archives.size).toBe(0);
    expect(sim.clock.pendingTimers).toBe(0);
  });

  it('afterMs: the operation runs that long before failing', async () => {
    const sim = createSimToolchain({
      faults: [
        {
          op: 'rollout',
          target: 'redis',
          fail: true,
          afterMs: 7_000,
          message: 'error: deployment "redis" exceeded its progress deadline',
        },
      ],
    });
    await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG });
    const kube = sim.kube(KUBECONFIG);
    await kube.apply([namespace, ...redis()]);
    const start = sim.clock.now();
    await expect(kube.rolloutStatus('deployment/redis', NS, 60_000)).rejects.toThrow(
      /exceeded its progress deadline/,
    );
    expect(sim.clock.now() - start).toBe(7_000);
  });

  it('faults can come from the profile', async () => {
    const profile = { ...defaultTimingProfile, faults: [{ op: 'migrate' as const, fail: true as const }] };
    const sim = createSimToolchain({ profile });
    await expect(
      sim.migrator.migrate({ host: '127.0.0.1', port: 1, database: 'd', user: 'u', password: 'p' }, '/m'),
    ).rejects.toThrow(/simulated fault in migrate/);
  });

  it('every fault is recorded in the world events', async () => {
    const sim = createSimToolchain({ faults: [{ op: 'build', fail: true }] });
    await sim.imageBuilder.build(gatewayBuild).catch(() => undefined);
    expect(sim.world.events.map((e) => `${e.op}:${e.phase}`)).toEqual(['build:start', 'build:error']);
  });

  it('rejects a malformed fault plan with ConfigError', () => {
    expect(() => createSimToolchain({ faults: [{ op: 'explode', fail: true } as never] })).toThrow(
      ConfigError,
    );
    expect(() => createSimToolchain({ faults: [{ op: 'build', failTransient: 0 } as never] })).toThrow(
      ConfigError,
    );
  });
});
