import { ConfigError, NotReadyError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER,
  GATEWAY_HOST_PORT,
  gateway,
  gatewayBuild,
  KUBECONFIG,
  kindConfig,
  NS,
  namespace,
  service,
} from '../testing-internal/gateway-fixture.js';
import { createSimToolchain } from '../toolchain.js';

const health = { kind: 'http', url: `http://localhost:${GATEWAY_HOST_PORT}/health` } as const;

async function withGateway() {
  const sim = createSimToolchain({ cachedImages: 'all' });
  const { ref } = await sim.imageBuilder.build(gatewayBuild);
  await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG, config: kindConfig });
  const kube = sim.kube(KUBECONFIG);
  await kube.apply([namespace]);
  await sim.imageLoader.load([ref], CLUSTER);
  return { sim, kube, ref };
}

describe('SimReadinessProber', () => {
  it('routes localhost:<hostPort> → nodePort Service → Deployment, and waits exactly until it is ready', async () => {
    const { sim, kube, ref } = await withGateway();
    await kube.apply(gateway(ref));
    const applied = sim.clock.now();
    await sim.prober.waitUntilReady(health, { timeoutMs: 60_000, intervalMs: 3_000 });
    expect(sim.clock.now() - applied).toBe(8_000);
    const tcp = { kind: 'tcp', host: '127.0.0.1', port: GATEWAY_HOST_PORT } as const;
    await sim.prober.waitUntilReady(tcp, { timeoutMs: 1 });
  });

  it('is not ready when no cluster publishes the port', async () => {
    const { sim, kube, ref } = await withGateway();
    await kube.apply(gateway(ref));
    await kube.rolloutStatus('deployment/gateway', NS, 60_000);
    const error = await sim.prober
      .waitUntilReady({ kind: 'http', url: 'http://localhost:9999/health' }, { timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).lastObservation).toMatch(
      /ECONNREFUSED 127\.0\.0\.1:9999.*extraPortMappings/,
    );
  });

  it('is not ready when the mapped node port has no Service, or its Service selects nothing ready', async () => {
    const { sim, kube, ref } = await withGateway();
    await expect(sim.prober.waitUntilReady(health, { timeoutMs: 2_000 })).rejects.toThrow(
      /no NodePort Service uses nodePort 30080/,
    );
    await kube.apply([service('gateway', 8080, 30080)]);
    await expect(sim.prober.waitUntilReady(health, { timeoutMs: 2_000 })).rejects.toThrow(/selects no pods/);
    // A Deployment that can never run (its image is not on the nodes) keeps the endpoint down until the deadline.
    await kube.apply(gateway(ref.replace('gateway:', 'gateway:other-')));
    const start = sim.clock.now();
    const error = await sim.prober.waitUntilReady(health, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(sim.clock.now() - start).toBe(30_000);
    expect((error as NotReadyError).lastObservation).toMatch(/no ready endpoints.*ErrImageNeverPull/);
  });

  it('reaches a pod through a port-forward', async () => {
    const { sim, kube, ref } = await withGateway();
    await kube.apply(gateway(ref));
    await kube.rolloutStatus('deployment/gateway', NS, 60_000);
    const pf = await kube.portForward(NS, 'deployment/gateway', 8080);
    await sim.prober.waitUntilReady({ kind: 'tcp', host: 'localhost', port: pf.localPort }, { timeoutMs: 1 });
  });

  it('rejects a probe that is not a URL with ConfigError', async () => {
    const sim = createSimToolchain();
    await expect(
      sim.prober.waitUntilReady({ kind: 'http', url: 'localhost:8080' }, { timeoutMs: 1 }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
