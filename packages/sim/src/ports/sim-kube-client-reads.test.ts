import { NotReadyError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER,
  deployment,
  KUBECONFIG,
  kindConfig,
  NS,
  namespace,
  PG_IMAGE,
} from '../testing-internal/gateway-fixture.js';
import { createSimToolchain, type SimToolchainOptions } from '../toolchain.js';

const NEVER_LOADED = 'localhost/kubernaut/gateway:gateway-e2e-1a2b3c4d5e6f';

async function withCluster(options: SimToolchainOptions = {}) {
  const sim = createSimToolchain(options);
  await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG, config: kindConfig });
  const kube = sim.kube(KUBECONFIG);
  await kube.apply([namespace]);
  return { sim, kube };
}

interface PodJson {
  metadata: { name: string; labels: Record<string, string> };
  status: {
    phase: string;
    containerStatuses: {
      name: string;
      ready: boolean;
      restartCount: number;
      state: { waiting?: { reason: string; message?: string }; running?: object };
    }[];
  };
}
const itemsOf = <T>(json: unknown) => (json as { items: T[] }).items;

describe('SimKubeClient: what diagnostics read', () => {
  it('shows a pod whose image was never loaded as ErrImageNeverPull, with the kubelet’s events', async () => {
    const { kube } = await withCluster();
    await kube.apply([deployment('gateway', NEVER_LOADED, { pullPolicy: 'Never' })]);
    const [pod] = itemsOf<PodJson>(await kube.getJson('pods', { namespace: NS }));
    expect(pod!.metadata.name).toMatch(/^gateway-[0-9a-z]{9}-[0-9a-f]{5}$/);
    expect(pod!.status.phase).toBe('Pending');
    expect(pod!.status.containerStatuses[0]!.state.waiting).toEqual({
      reason: 'ErrImageNeverPull',
      message: `Container image "${NEVER_LOADED}" is not present with pull policy of Never`,
    });
    const events = itemsOf<{ reason: string; involvedObject: { name: string } }>(
      await kube.getJson('events', { namespace: NS }),
    );
    expect(events.map((e) => e.reason)).toEqual(['Scheduled', 'ErrImageNeverPull', 'Failed']);
    expect(events[1]!.involvedObject.name).toBe(pod!.metadata.name);
    expect(await kube.describe(`pod/${pod!.metadata.name}`, NS)).toContain('Reason:       ErrImageNeverPull');
    await expect(kube.logs(NS, pod!.metadata.name)).rejects.toThrow(/is waiting to start/);
  });

  it('shows an image that is not on the node and cannot be pulled as ImagePullBackOff', async () => {
    const { kube } = await withCluster();
    await kube.apply([deployment('gateway', NEVER_LOADED)]);
    const [pod] = itemsOf<PodJson>(await kube.getJson('pods', { namespace: NS }));
    expect(pod!.status.containerStatuses[0]!.state.waiting?.reason).toBe('ImagePullBackOff');
  });

  it('lists the node with the images loaded onto it', async () => {
    const { kube } = await withCluster();
    const [node] = itemsOf<{ metadata: { name: string }; status: { images: { names: string[] }[] } }>(
      await kube.getJson('nodes'),
    );
    expect(node!.metadata.name).toBe(`${CLUSTER}-control-plane`);
    expect(node!.status.images).toEqual([]);
  });

  it('a container fault `fail` crash-loops the pods and its message is the crashed instance’s last log line', async () => {
    const { sim, kube } = await withCluster({
      faults: [
        {
          op: 'container',
          target: 'postgresql',
          fail: true,
          message: 'FATAL: data directory has wrong ownership',
        },
      ],
    });
    await kube.apply([deployment('postgresql', PG_IMAGE)]);
    await expect(kube.rolloutStatus('deployment/postgresql', NS, 30_000)).rejects.toBeInstanceOf(
      NotReadyError,
    );
    const [pod] = itemsOf<PodJson>(
      await kube.getJson('pods', { namespace: NS, labelSelector: 'app=postgresql' }),
    );
    const status = pod!.status.containerStatuses[0]!;
    expect(status.state.waiting?.reason).toBe('CrashLoopBackOff');
    // The kubelet's back-off: started at 0 s, crashed at 1 s, restarted at 11 s (10 s), crashed at 12 s; the next
    // restart is due at 32 s (20 s).
    expect(status.restartCount).toBe(1);
    expect(status.state.waiting?.message).toMatch(/^back-off 20s restarting failed container=postgresql /);
    expect(await kube.logs(NS, pod!.metadata.name, { container: 'postgresql', previous: true })).toBe(
      'FATAL: data directory has wrong ownership',
    );
    expect(sim.world.events.some((e) => e.op === 'logs')).toBe(true);
  });

  it('a container fault `hang` keeps the pods running but never ready, failing their readiness probe', async () => {
    const { kube } = await withCluster({ faults: [{ op: 'container', target: 'postgresql', hang: true }] });
    await kube.apply([deployment('postgresql', PG_IMAGE)]);
    const [pod] = itemsOf<PodJson>(await kube.getJson('pods', { namespace: NS }));
    expect(pod!.status.containerStatuses[0]).toMatchObject({ ready: false, state: { running: {} } });
    const events = itemsOf<{ reason: string; message: string }>(
      await kube.getJson('events', { namespace: NS }),
    );
    expect(events.at(-1)).toMatchObject({
      reason: 'Unhealthy',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    });
  });

  it('scale to 0 lets the pods terminate; waitDeleted returns once they are gone', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply([deployment('postgresql', PG_IMAGE)]);
    await kube.rolloutStatus('deployment/postgresql', NS, 60_000);
    await kube.scale('deployment/postgresql', NS, 0);
    const terminating = itemsOf<PodJson>(await kube.getJson('pods', { namespace: NS }));
    expect(terminating).toHaveLength(1);
    const start = sim.clock.now();
    await kube.waitDeleted('pods', { namespace: NS, labelSelector: 'app=postgresql' }, 30_000);
    expect(sim.clock.now() - start).toBe(2_000);
    expect(itemsOf(await kube.getJson('pods', { namespace: NS }))).toEqual([]);
  });

  it('waitDeleted gives up with NotReadyError when the pods stay', async () => {
    const { kube } = await withCluster();
    await kube.apply([deployment('postgresql', PG_IMAGE)]);
    const error = await kube
      .waitDeleted('pods', { namespace: NS, labelSelector: 'app=postgresql' }, 3_000)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).lastObservation).toMatch(
      /timed out waiting for the condition on pods\/postgresql-/,
    );
  });

  it('the engine copies from a node container only, and records it (no files are written)', async () => {
    const { sim } = await withCluster();
    await sim.engine.copyFromContainer(`${CLUSTER}-control-plane`, '/coverdata/.', '/tmp/cov');
    expect(sim.world.copies).toEqual([
      { container: `${CLUSTER}-control-plane`, srcPath: '/coverdata/.', destDir: '/tmp/cov' },
    ]);
    await expect(
      sim.engine.copyFromContainer('other-control-plane', '/coverdata/.', '/tmp/cov'),
    ).rejects.toThrow('container "other-control-plane" does not exist');
  });
});
