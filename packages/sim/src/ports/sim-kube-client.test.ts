import { CommandError, NotReadyError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER,
  crd,
  datastorage,
  deployment,
  gateway,
  gatewayBuild,
  KUBECONFIG,
  kindConfig,
  NS,
  namespace,
  PG_IMAGE,
  postgresql,
  redis,
  service,
} from '../testing-internal/gateway-fixture.js';
import { createSimToolchain } from '../toolchain.js';

async function withCluster(options: Parameters<typeof createSimToolchain>[0] = {}) {
  const sim = createSimToolchain({ cachedImages: 'all', ...options });
  await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG, config: kindConfig });
  const kube = sim.kube(KUBECONFIG);
  await kube.apply([namespace]);
  return { sim, kube };
}

const elapsed = async (sim: { clock: { now(): number } }, work: () => Promise<unknown>) => {
  const start = sim.clock.now();
  await work();
  return sim.clock.now() - start;
};

describe('SimKubeClient.apply', () => {
  it('costs 3 s with CRDs (then Established at once), 1 s for a Namespace, 2 s with RBAC/TLS, 0 otherwise', async () => {
    const sim = createSimToolchain();
    await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG });
    const kube = sim.kube(KUBECONFIG);
    expect(await elapsed(sim, () => kube.apply([crd]))).toBe(3_000);
    expect(
      await elapsed(sim, () =>
        kube.waitFor(`crd/${crd.metadata.name}`, 'condition=Established', undefined, 60_000),
      ),
    ).toBe(0);
    expect(await elapsed(sim, () => kube.apply([namespace]))).toBe(1_000);
    const tls = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'wh-tls', namespace: NS },
      data: {},
    };
    expect(await elapsed(sim, () => kube.apply([tls]))).toBe(2_000);
    expect(await elapsed(sim, () => kube.apply(datastorage(PG_IMAGE)))).toBe(2_000);
    expect(await elapsed(sim, () => kube.apply(redis()))).toBe(0);
  });

  it('refuses objects in a namespace that does not exist yet, and custom kinds without their CRD', async () => {
    const sim = createSimToolchain();
    await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG });
    const kube = sim.kube(KUBECONFIG);
    await expect(kube.apply(redis())).rejects.toThrow(/namespaces "kubernaut-system" not found/);
    await kube.apply([namespace]);
    const custom = {
      apiVersion: 'kubernaut.ai/v1alpha1',
      kind: 'RemediationRequest',
      metadata: { name: 'r', namespace: NS },
    };
    await expect(kube.apply([custom])).rejects.toThrow(
      /no matches for kind "RemediationRequest" in version "kubernaut.ai\/v1alpha1"/,
    );
    await kube.apply([crd]);
    await kube.apply([custom]);
  });

  it('fails like kubectl when the cluster does not exist or was deleted', async () => {
    const { sim, kube } = await withCluster();
    await sim.cluster.delete(CLUSTER);
    const error = await kube.apply(redis()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).message).toMatch(/connection to the server .* was refused/);
  });

  it('validates NodePorts (range, type, uniqueness) and Deployment selectors', async () => {
    const { kube } = await withCluster();
    await expect(kube.apply([service('a', 80, 8080)])).rejects.toThrow(
      /not in the valid range. The range of valid ports is 30000-32767/,
    );
    await kube.apply([service('a', 80, 30090)]);
    await expect(kube.apply([service('b', 80, 30090)])).rejects.toThrow(/provided port is already allocated/);
    await kube.apply([service('a', 80, 30090)]); // re-apply of the owner is fine
    const bad = deployment('x', PG_IMAGE);
    (bad.spec as { selector: unknown }).selector = { matchLabels: { app: 'other' } };
    await expect(kube.apply([bad])).rejects.toThrow(/`selector` does not match template `labels`/);
  });
});

describe('SimKubeClient rollouts', () => {
  it('a Deployment is ready after its profile time counted from the apply (PostgreSQL 10 s, Redis 5 s)', async () => {
    const { sim, kube } = await withCluster();
    const t0 = sim.clock.now();
    await kube.apply([...postgresql(), ...redis()]);
    await kube.rolloutStatus('deployment/redis', NS, 300_000);
    expect(sim.clock.now() - t0).toBe(5_000);
    await kube.rolloutStatus('deployment/postgresql', NS, 300_000);
    expect(sim.clock.now() - t0).toBe(10_000);
    expect(await elapsed(sim, () => kube.rolloutStatus('deployment/postgresql', NS, 1_000))).toBe(0);
  });

  it('a Deployment whose image was never loaded never becomes ready: NotReadyError with ErrImageNeverPull at the timeout', async () => {
    const { sim, kube } = await withCluster();
    const { ref } = await sim.imageBuilder.build(gatewayBuild); // built, but not loaded onto the nodes
    await kube.apply(gateway(ref));
    const start = sim.clock.now();
    const error = await kube.rolloutStatus('deployment/gateway', NS, 60_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).message).toMatch(/ErrImageNeverPull/);
    expect(sim.clock.now() - start).toBe(60_000);

    const never = deployment('never', ref, { pullPolicy: 'Never' });
    await kube.apply([never]);
    await expect(kube.rolloutStatus('deployment/never', NS, 5_000)).rejects.toThrow(
      `Container image "${ref}" is not present with pull policy of Never`,
    );
  });

  it('the same Deployment becomes ready once its image is loaded and it is applied', async () => {
    const { sim, kube } = await withCluster();
    const { ref } = await sim.imageBuilder.build(gatewayBuild);
    await sim.imageLoader.load([ref], CLUSTER);
    await kube.apply(gateway(ref));
    expect(await elapsed(sim, () => kube.rolloutStatus('deployment/gateway', NS, 60_000))).toBe(8_000);
  });

  it('re-applying an unchanged ready Deployment keeps it ready; a changed one rolls out again', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply(redis());
    await kube.rolloutStatus('deployment/redis', NS, 60_000);
    await kube.apply(redis());
    expect(await elapsed(sim, () => kube.rolloutStatus('deployment/redis', NS, 60_000))).toBe(0);
    await kube.apply([deployment('redis', 'docker.io/library/redis:7.4.1-alpine', { port: 6379 })]);
    expect(await elapsed(sim, () => kube.rolloutStatus('deployment/redis', NS, 60_000))).toBe(5_000);
  });

  it('an unpinned external image is refused (only pinned refs are pullable)', async () => {
    const { kube } = await withCluster();
    await kube.apply([deployment('redis', 'redis:latest')]);
    await expect(kube.rolloutStatus('deployment/redis', NS, 1_000)).rejects.toThrow(/pin "redis:latest"/);
  });

  it('rollout of a missing Deployment fails at once with NotFound', async () => {
    const { sim, kube } = await withCluster();
    await expect(kube.rolloutStatus('deployment/ghost', NS, 60_000)).rejects.toThrow(
      /deployments.apps "ghost" not found/,
    );
    expect(sim.clock.now()).toBe(13_000);
  });
});

describe('SimKubeClient.waitFor', () => {
  it('condition=Available on a Deployment waits for its rollout; a missing CRD is NotFound at once', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply(redis());
    expect(
      await elapsed(sim, () => kube.waitFor('deployment/redis', 'condition=Available', NS, 60_000)),
    ).toBe(5_000);
    await expect(
      kube.waitFor('crd/ghosts.kubernaut.ai', 'condition=Established', undefined, 60_000),
    ).rejects.toThrow(/customresourcedefinitions "ghosts.kubernaut.ai" not found/);
  });

  it('says so when asked for a condition it does not model', async () => {
    const { kube } = await withCluster();
    await kube.apply(redis());
    await expect(kube.waitFor('service/redis', 'condition=Ready', NS, 1_000)).rejects.toThrow(
      /does not model condition "condition=Ready" on service/,
    );
  });
});

describe('SimKubeClient exec, port-forward, patch', () => {
  it('port-forward and exec need a running pod', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply(postgresql());
    await expect(kube.portForward(NS, 'svc/postgresql', 5432)).rejects.toThrow(/pod is not running/);
    await expect(kube.exec(NS, 'deployment/postgresql', ['pg_isready'])).rejects.toThrow(
      /container not found/,
    );
    await kube.rolloutStatus('deployment/postgresql', NS, 60_000);
    await expect(kube.portForward(NS, 'svc/postgresql', 5433)).rejects.toThrow(
      /does not have a service port 5433/,
    );
    const pf = await kube.portForward(NS, 'svc/postgresql', 5432);
    expect(sim.world.portForwards.get(pf.localPort)).toMatchObject({
      deployment: 'postgresql',
      containerPort: 5432,
    });
    expect(await kube.exec(NS, 'deployment/postgresql', ['pg_isready'])).toBe('');
    await pf.close();
    await pf.close();
    expect(sim.world.portForwards.size).toBe(0);
  });

  it('patch applies a JSON patch (e.g. a webhook caBundle) and fails on a missing object or path', async () => {
    const { sim, kube } = await withCluster();
    const webhook = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'authwebhook' },
      webhooks: [
        { name: 'a.kubernaut.ai', clientConfig: { service: { name: 'authwebhook', namespace: NS } } },
      ],
    };
    expect(await elapsed(sim, () => kube.apply([webhook]))).toBe(2_000);
    await kube.patch('mutatingwebhookconfiguration/authwebhook', undefined, [
      { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: 'Q0E=' },
    ]);
    const stored = sim.world.clusters
      .get(CLUSTER)!
      .objects.get('mutatingwebhookconfiguration//authwebhook') as typeof webhook & {
      webhooks: { clientConfig: { caBundle?: string } }[];
    };
    expect(stored.webhooks[0]?.clientConfig.caBundle).toBe('Q0E=');
    await expect(kube.patch('mutatingwebhookconfiguration/none', undefined, [])).rejects.toThrow(/not found/);
    await expect(
      kube.patch('mutatingwebhookconfiguration/authwebhook', undefined, [
        { op: 'replace', path: '/webhooks/3/x', value: 1 },
      ]),
    ).rejects.toThrow(/does not exist/);
  });

  it('patching a Deployment spec starts a new rollout', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply(redis());
    await kube.rolloutStatus('deployment/redis', NS, 60_000);
    await kube.patch('deployment/redis', NS, [
      { op: 'add', path: '/spec/template/metadata/annotations', value: { restartedAt: 'now' } },
    ]);
    expect(await elapsed(sim, () => kube.rolloutStatus('deployment/redis', NS, 60_000))).toBe(5_000);
  });
});
