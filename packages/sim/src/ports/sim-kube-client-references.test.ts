import { type KubeObject, NotReadyError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER,
  KUBECONFIG,
  kindConfig,
  NS,
  namespace,
  PG_IMAGE,
} from '../testing-internal/gateway-fixture.js';
import { createSimToolchain } from '../toolchain.js';

/*
 * What a pod references must exist, as the API server and the kubelet enforce it: a ServiceAccount
 * (else the ReplicaSet cannot create pods), ConfigMaps and Secrets it mounts (else FailedMount) or reads
 * env from (else CreateContainerConfigError), and the named port its probe uses. Each rollout stays
 * blocked while the object is missing and proceeds once it is applied, as the controllers and kubelet
 * retry.
 */

/** `datastorage` is ready 8 s after its pods can start (the default profile). */
const READY_MS = 8_000;
const NAME = 'datastorage';

async function withCluster() {
  const sim = createSimToolchain();
  await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG, config: kindConfig });
  const kube = sim.kube(KUBECONFIG);
  await kube.apply([namespace]);
  return { sim, kube };
}

/** A Deployment of one `datastorage` container (port `http` 8080) with `pod` merged into its pod spec. */
function app(
  pod: { container?: Record<string, unknown>; [field: string]: unknown } = {},
  replicas = 1,
): KubeObject {
  const { container = {}, ...podSpec } = pod;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: NAME } },
      template: {
        metadata: { labels: { app: NAME } },
        spec: {
          ...podSpec,
          containers: [
            { name: NAME, image: PG_IMAGE, ports: [{ name: 'http', containerPort: 8080 }], ...container },
          ],
        },
      },
    },
  };
}

const mounted = (...names: string[]) => ({
  volumeMounts: names.map((name) => ({ name, mountPath: `/etc/${name}` })),
});

function configMap(
  name: string,
  data: Record<string, string> = { 'config.yaml': 'port: 8080\n' },
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data };
}

function secret(name: string, stringData: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS }, type: 'Opaque', stringData };
}

interface PodJson {
  metadata: { name: string; creationTimestamp: string };
  status: {
    phase: string;
    conditions: { type: string; status: string }[];
    containerStatuses: {
      name: string;
      ready: boolean;
      started: boolean;
      state: { waiting?: { reason: string; message?: string }; running?: object };
    }[];
  };
}
interface EventJson {
  reason: string;
  message: string;
  type: string;
  involvedObject: { kind: string; name: string };
  source: { component: string };
}
const itemsOf = <T>(json: unknown) => (json as { items: T[] }).items;

type Kube = Awaited<ReturnType<typeof withCluster>>['kube'];
const pods = async (kube: Kube) => itemsOf<PodJson>(await kube.getJson('pods', { namespace: NS }));
const events = async (kube: Kube) => itemsOf<EventJson>(await kube.getJson('events', { namespace: NS }));

/** The rollout's error after waiting `ms` (the Deployment must not become ready). */
async function stillBlocked(kube: Kube, ms = 30_000): Promise<string> {
  const error = await kube.rolloutStatus(`deployment/${NAME}`, NS, ms).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NotReadyError);
  return (error as NotReadyError).message;
}

/** How long the rollout takes from now. */
async function rolloutTakes(sim: { clock: { now(): number } }, kube: Kube): Promise<number> {
  const start = sim.clock.now();
  await kube.rolloutStatus(`deployment/${NAME}`, NS, 60_000);
  return sim.clock.now() - start;
}

describe('volumes from ConfigMaps and Secrets', () => {
  it('a missing ConfigMap keeps the pod ContainerCreating with FailedMount; applying it lets the same pod start', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply([
      app({
        container: mounted('config'),
        volumes: [{ name: 'config', configMap: { name: 'datastorage-config' } }],
      }),
    ]);
    const mountError =
      'MountVolume.SetUp failed for volume "config" : configmap "datastorage-config" not found';
    expect(await stillBlocked(kube)).toContain(`FailedMount: ${mountError}`);

    const [pod] = await pods(kube);
    expect(pod!.status.phase).toBe('Pending');
    expect(pod!.status.containerStatuses[0]!.state.waiting).toEqual({ reason: 'ContainerCreating' });
    const failed = (await events(kube)).filter((e) => e.reason === 'FailedMount');
    expect(failed).toEqual([
      expect.objectContaining({
        type: 'Warning',
        message: mountError,
        involvedObject: expect.objectContaining({ kind: 'Pod', name: pod!.metadata.name }),
        source: expect.objectContaining({ component: 'kubelet' }),
      }),
    ]);
    await expect(kube.logs(NS, pod!.metadata.name)).rejects.toThrow(/is waiting to start: ContainerCreating/);

    await kube.apply([configMap('datastorage-config')]);
    expect(await rolloutTakes(sim, kube)).toBe(READY_MS);
    const [started] = await pods(kube);
    expect(started!.metadata).toEqual(pod!.metadata); // the same pod, now running
    expect(started!.status.containerStatuses[0]!.ready).toBe(true);
  });

  it('a missing Secret volume says secret "…" not found, and a missing items key the kubelet’s wording', async () => {
    const { sim, kube } = await withCluster();
    const tls = {
      name: 'tls',
      secret: { secretName: 'datastorage-tls', items: [{ key: 'tls.crt', path: 'tls.crt' }] },
    };
    await kube.apply([app({ container: mounted('tls'), volumes: [tls] })]);
    expect(await stillBlocked(kube)).toContain(
      'MountVolume.SetUp failed for volume "tls" : secret "datastorage-tls" not found',
    );
    await kube.apply([secret('datastorage-tls', { 'ca.crt': 'x' })]);
    expect(await stillBlocked(kube)).toContain(
      'MountVolume.SetUp failed for volume "tls" : references non-existent secret key: tls.crt',
    );
    await kube.apply([secret('datastorage-tls', { 'tls.crt': 'x' })]);
    expect(await rolloutTakes(sim, kube)).toBe(READY_MS);
  });

  it('a ConfigMap without an items key fails with "configmap references non-existent config key"', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply([
      configMap('datastorage-config', { 'other.yaml': '' }),
      app({
        container: mounted('config'),
        volumes: [
          {
            name: 'config',
            configMap: { name: 'datastorage-config', items: [{ key: 'config.yaml', path: 'config.yaml' }] },
          },
        ],
      }),
    ]);
    expect(await stillBlocked(kube)).toContain(
      'MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: config.yaml',
    );
    await kube.apply([configMap('datastorage-config')]);
    expect(await rolloutTakes(sim, kube)).toBe(READY_MS);
  });

  it('a projected volume reports every missing source in one aggregated error', async () => {
    const { kube } = await withCluster();
    await kube.apply([
      app({
        container: mounted('bundle'),
        volumes: [
          {
            name: 'bundle',
            projected: {
              sources: [
                { configMap: { name: 'inter-service-ca' } },
                { secret: { name: 'datastorage-signing' } },
              ],
            },
          },
        ],
      }),
    ]);
    expect(await stillBlocked(kube)).toContain(
      'MountVolume.SetUp failed for volume "bundle" : [configmap "inter-service-ca" not found, secret "datastorage-signing" not found]',
    );
    await kube.apply([configMap('inter-service-ca', { 'ca.crt': 'x' })]);
    expect(await stillBlocked(kube)).toContain(
      'MountVolume.SetUp failed for volume "bundle" : secret "datastorage-signing" not found',
    );
  });

  it('each failing volume gets its own FailedMount event', async () => {
    const { kube } = await withCluster();
    await kube.apply([
      app({
        container: mounted('config', 'tls'),
        volumes: [
          { name: 'config', configMap: { name: 'datastorage-config' } },
          { name: 'tls', secret: { secretName: 'datastorage-tls' } },
        ],
      }),
    ]);
    await stillBlocked(kube, 10_000);
    expect((await events(kube)).filter((e) => e.reason === 'FailedMount').map((e) => e.message)).toEqual([
      'MountVolume.SetUp failed for volume "config" : configmap "datastorage-config" not found',
      'MountVolume.SetUp failed for volume "tls" : secret "datastorage-tls" not found',
    ]);
  });

  it('optional sources, volumes no container mounts, and a Deployment scaled to 0 are not blocked', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply([
      app({
        container: mounted('config', 'tls', 'bundle'),
        volumes: [
          { name: 'config', configMap: { name: 'absent', optional: true } },
          { name: 'tls', secret: { secretName: 'absent', optional: true, items: [{ key: 'k', path: 'k' }] } },
          { name: 'bundle', projected: { sources: [{ secret: { name: 'absent', optional: true } }] } },
          { name: 'unused', configMap: { name: 'absent-too' } },
        ],
      }),
    ]);
    expect(await rolloutTakes(sim, kube)).toBe(READY_MS);
    await kube.apply([
      app({ container: mounted('config'), volumes: [{ name: 'config', configMap: { name: 'absent' } }] }, 0),
    ]);
    expect(await rolloutTakes(sim, kube)).toBe(0);
  });

  it('objects applied after the Deployment in the same apply cost nothing extra', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply([
      app({
        container: mounted('config'),
        volumes: [{ name: 'config', configMap: { name: 'datastorage-config' } }],
      }),
      configMap('datastorage-config'),
    ]);
    expect(await rolloutTakes(sim, kube)).toBe(READY_MS);
  });
});

describe('env from Secrets and ConfigMaps', () => {
  const fromSecret = (key: string, optional?: boolean) => ({
    name: key.toUpperCase(),
    valueFrom: { secretKeyRef: { name: 'datastorage-db', key, ...(optional ? { optional } : {}) } },
  });

  it('CreateContainerConfigError while the Secret or its key is missing, then the container starts', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply([app({ container: { env: [fromSecret('password')] } })]);
    expect(await stillBlocked(kube)).toContain(
      'CreateContainerConfigError: secret "datastorage-db" not found',
    );
    const [pod] = await pods(kube);
    expect(pod!.status.phase).toBe('Pending');
    expect(pod!.status.containerStatuses[0]!.state.waiting).toEqual({
      reason: 'CreateContainerConfigError',
      message: 'secret "datastorage-db" not found',
    });
    expect((await events(kube)).find((e) => e.type === 'Warning')).toMatchObject({
      reason: 'Failed',
      message: 'Error: secret "datastorage-db" not found',
    });
    await expect(kube.logs(NS, pod!.metadata.name)).rejects.toThrow(
      /is waiting to start: CreateContainerConfigError/,
    );

    await kube.apply([secret('datastorage-db', { user: 'slm_user' })]);
    expect(await stillBlocked(kube)).toContain(
      `CreateContainerConfigError: couldn't find key password in Secret ${NS}/datastorage-db`,
    );
    await kube.apply([secret('datastorage-db', { user: 'slm_user', password: 'test_password' })]);
    expect(await rolloutTakes(sim, kube)).toBe(READY_MS);
    expect(sim.world.clusters.get(CLUSTER)!.deployment(NS, NAME)!.env).toEqual({ PASSWORD: 'test_password' });
  });

  it('configMapKeyRef and envFrom are checked the same way; optional references are not', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply([
      configMap('datastorage-env', { LOG_LEVEL: 'info' }),
      app({
        container: {
          env: [
            {
              name: 'LOG_LEVEL',
              valueFrom: { configMapKeyRef: { name: 'datastorage-env', key: 'LOG_LEVEL' } },
            },
            { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'datastorage-env', key: 'MODE' } } },
          ],
        },
      }),
    ]);
    expect(await stillBlocked(kube)).toContain(`couldn't find key MODE in ConfigMap ${NS}/datastorage-env`);
    await kube.apply([app({ container: { envFrom: [{ configMapRef: { name: 'datastorage-extra' } }] } })]);
    expect(await stillBlocked(kube)).toContain(
      'CreateContainerConfigError: configmap "datastorage-extra" not found',
    );
    await kube.apply([
      app({
        container: {
          envFrom: [{ secretRef: { name: 'absent', optional: true } }],
          env: [fromSecret('password', true)],
        },
      }),
    ]);
    expect(await rolloutTakes(sim, kube)).toBe(READY_MS);
  });
});

describe('ServiceAccounts', () => {
  it('the ReplicaSet cannot create pods while the ServiceAccount is missing; applying it starts the rollout', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply([app({ serviceAccountName: 'datastorage-sa' })]);
    const message = await stillBlocked(kube);
    expect(message).toMatch(
      /FailedCreate: pods "datastorage-[0-9a-z]{9}-" is forbidden: error looking up service account kubernaut-system\/datastorage-sa: serviceaccount "datastorage-sa" not found/,
    );
    expect(await pods(kube)).toEqual([]);
    const [failedCreate] = await events(kube);
    expect(failedCreate).toMatchObject({
      type: 'Warning',
      reason: 'FailedCreate',
      involvedObject: { kind: 'ReplicaSet' },
      source: { component: 'replicaset-controller' },
    });
    expect(failedCreate!.message).toMatch(
      /^Error creating: pods "datastorage-[0-9a-z]{9}-" is forbidden: error looking up service account/,
    );
    expect(`${failedCreate!.involvedObject.name}-`).toBe(/pods "([^"]+)"/.exec(failedCreate!.message)![1]);
    const deployment = (await kube.getJson(`deployment/${NAME}`, { namespace: NS })) as {
      status: { conditions?: { type: string; reason: string }[] };
    };
    expect(deployment.status.conditions).toEqual([
      expect.objectContaining({ type: 'ReplicaFailure', reason: 'FailedCreate' }),
    ]);

    await kube.apply([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'datastorage-sa', namespace: NS } },
    ]);
    const appliedAt = sim.clock.now();
    expect(await rolloutTakes(sim, kube)).toBe(READY_MS);
    const [pod] = await pods(kube);
    expect(Date.parse(pod!.metadata.creationTimestamp) - Date.UTC(2025, 0, 1)).toBe(appliedAt); // created then
    expect((await events(kube)).some((e) => e.reason === 'FailedCreate')).toBe(false);
  });

  it('the default ServiceAccount (or none named) always exists', async () => {
    const { sim, kube } = await withCluster();
    await kube.apply([app({ serviceAccountName: 'default' })]);
    expect(await rolloutTakes(sim, kube)).toBe(READY_MS);
  });
});

describe('probes on named ports', () => {
  const readinessOn = (port: string | number, kind: 'httpGet' | 'tcpSocket' = 'httpGet') => ({
    readinessProbe: { [kind]: { ...(kind === 'httpGet' ? { path: '/health' } : {}), port } },
  });

  it('a readiness probe on a port the container does not declare errors forever: running, never ready', async () => {
    const { kube } = await withCluster();
    await kube.apply([app({ container: readinessOn('metrics') })]);
    expect(await stillBlocked(kube, 60_000)).toContain(
      'Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "metrics": invalid syntax',
    );
    const [pod] = await pods(kube);
    expect(pod!.status.phase).toBe('Running');
    expect(pod!.status.containerStatuses[0]).toMatchObject({ ready: false, state: { running: {} } });
    expect(pod!.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect((await events(kube)).filter((e) => e.reason === 'Unhealthy').map((e) => e.message)).toEqual([
      'Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "metrics": invalid syntax',
    ]);
    // Applying objects does not help: only a spec that names a declared port does.
    await kube.apply([configMap('metrics')]);
    await stillBlocked(kube, 10_000);
  });

  it('a tcpSocket probe and a startup probe are held to the same rule', async () => {
    const { kube } = await withCluster();
    await kube.apply([app({ container: readinessOn('grpc', 'tcpSocket') })]);
    expect(await stillBlocked(kube)).toContain('strconv.Atoi: parsing "grpc": invalid syntax');
    await kube.apply([app({ container: { startupProbe: { httpGet: { path: '/', port: 'admin' } } } })]);
    expect(await stillBlocked(kube)).toContain(
      'Startup probe errored and resulted in unknown state: strconv.Atoi: parsing "admin": invalid syntax',
    );
    const [pod] = await pods(kube);
    expect(pod!.status.containerStatuses[0]).toMatchObject({ started: false, ready: false });
  });

  it('a declared port name, a number, or a number written as a string resolve', async () => {
    const { sim, kube } = await withCluster();
    for (const port of ['http', 8080, '8080']) {
      await kube.apply([
        app({ container: { ...readinessOn(port), env: [{ name: 'PORT', value: String(port) }] } }),
      ]);
      expect(await rolloutTakes(sim, kube)).toBe(READY_MS);
    }
  });
});
