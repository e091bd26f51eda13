import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KubeClient, type KubeObject, StepError, ToolNotFoundError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { createSimToolchain, type FaultPlan } from '@kubernaut-e2e/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectCoverage, formatCoverage } from '../coverage/collect-coverage.js';
import { serviceManifests } from '../manifests/service-manifests.js';
import { formatDiagnostics } from './format-diagnostics.js';
import { gatherDiagnostics } from './gather-diagnostics.js';

/*
 * End to end on the simulated toolchain: a cluster, images built and loaded (or not), services deployed
 * with injected faults; the run fails the way the setup runtime sees it fail, and diagnostics read the
 * simulator through the same KubeClient port they read kubectl through.
 */
const CLUSTER = 'gateway-e2e';
const KUBECONFIG = '/tmp/sim/gateway-e2e.kubeconfig';
const NS = 'kubernaut-e2e';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-sim-diagnostics-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cluster(faults: FaultPlan = []) {
  const sim = createSimToolchain({ faults });
  await sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG });
  const kube = sim.kube(KUBECONFIG);
  await kube.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }]);
  return { sim, kube };
}

function service(name: string, image: string, extra: { coverage?: boolean } = {}): KubeObject[] {
  return serviceManifests({
    name,
    namespace: NS,
    image,
    ports: [{ name: 'http', port: 8080 }],
    probes: { readiness: { type: 'http', path: '/health/ready', port: 8080 } },
    ...extra,
  });
}

/** Deploys and waits like a deploy step; returns the step's error, as the scheduler would record it. */
async function deployStep(kube: KubeClient, name: string, objects: KubeObject[]) {
  await kube.apply(objects);
  return kube
    .rolloutStatus(`deployment/${name}`, NS, 60_000)
    .then(() => undefined)
    .catch((error: unknown) => new StepError(`deploy:${name}`, error));
}

describe('diagnostics on the simulated toolchain', () => {
  it('an image that was built but whose new tag was never loaded: names it and what the node holds', async () => {
    const { sim, kube } = await cluster();
    const old = await sim.imageBuilder.build({
      serviceName: 'gateway',
      imageName: 'kubernaut/gateway',
      dockerfilePath: 'Dockerfile',
      tag: 'gateway-e2e-0ffee0c0ffee',
    });
    await sim.imageLoader.load([old.ref], CLUSTER);
    const fresh = 'localhost/kubernaut/gateway:gateway-e2e-1a2b3c4d5e6f';
    const objects = service('gateway', fresh).map((o) =>
      o.kind === 'Deployment' ? withPullPolicy(o, 'Never') : o,
    );
    const error = await deployStep(kube, 'gateway', objects);
    expect(error).toBeInstanceOf(StepError);

    const report = await gatherDiagnostics({
      kube,
      namespace: NS,
      dir,
      cluster: { provider: sim.cluster, name: CLUSTER },
      failedStep: { id: 'deploy:gateway', kind: 'deploy', error },
    });
    const image = report.findings.find((f) => f.kind === 'image-not-loaded')!;
    expect(image.subject).toMatch(/^pod\/gateway-/);
    expect(image.summary).toContain(`image ${fresh} of container gateway was not loaded`);
    expect(image.details[0]).toContain('the nodes hold localhost/kubernaut/gateway:gateway-e2e-0ffee0c0ffee');
    // kind's logs were exported into the diagnostics directory.
    expect(sim.world.clusters.get(CLUSTER)!.logExports).toEqual([join(dir, 'kind-logs')]);
    expect(report.files).toContain('kind-logs/');
    const describe = report.files.find((f) => f.endsWith('describe.txt'))!;
    expect(await readFile(join(dir, describe), 'utf8')).toContain('ErrImageNeverPull');
    expect(formatDiagnostics(report)[1]).toContain('✖ deployment/gateway: deployment/gateway');
  });

  it('a crashing container (fault `container: fail`): the crash loop with its last log line', async () => {
    const { kube } = await cluster([
      {
        op: 'container',
        target: 'datastorage',
        fail: true,
        message: 'FATAL: password authentication failed for user "slm_user" (SQLSTATE 28P01)',
      },
    ]);
    const error = await deployStep(
      kube,
      'datastorage',
      service('datastorage', 'docker.io/library/busybox:1.36'),
    );
    const report = await gatherDiagnostics({
      kube,
      namespace: NS,
      dir,
      failedStep: { id: 'deploy:datastorage', kind: 'deploy', error },
    });
    const crash = report.findings.find((f) => f.kind === 'crash-loop')!;
    expect(crash.summary).toMatch(/^container datastorage keeps crashing \(CrashLoopBackOff, 2 restarts/); // restarted at 11 s and 32 s; the next is due at 73 s
    expect(crash.details).toEqual([
      'log: FATAL: password authentication failed for user "slm_user" (SQLSTATE 28P01)',
    ]);
    expect(report.files.some((f) => f.endsWith('datastorage.previous.log'))).toBe(true);
  });

  it('a container that never gets ready (fault `container: hang`): the readiness probe URL and response', async () => {
    const { kube } = await cluster([{ op: 'container', target: 'notification', hang: true }]);
    const error = await deployStep(
      kube,
      'notification',
      service('notification', 'docker.io/library/busybox:1.36'),
    );
    const report = await gatherDiagnostics({
      kube,
      namespace: NS,
      dir,
      failedStep: { id: 'deploy:notification', error },
    });
    const probe = report.findings.find((f) => f.kind === 'readiness-probe')!;
    expect(probe.summary).toMatch(
      /^container notification runs but its readiness probe GET http:\/\/10\.244\.0\.\d+:8080\/health\/ready keeps failing \(\d+ times\): HTTP probe failed with statuscode: 503$/,
    );
  });

  it('objects a pod references that were never applied: the ConfigMap, the Secret key and the ServiceAccount by name', async () => {
    const { kube } = await cluster();
    const datastorage = serviceManifests({
      name: 'datastorage',
      namespace: NS,
      image: 'docker.io/library/busybox:1.36',
      ports: [{ name: 'http', port: 8080 }],
      volumes: [
        { name: 'config', mountPath: '/etc/datastorage', source: { configMap: 'datastorage-config' } },
      ],
    });
    const gateway = serviceManifests({
      name: 'gateway',
      namespace: NS,
      image: 'docker.io/library/busybox:1.36',
      ports: [{ name: 'http', port: 8080 }],
      serviceAccountName: 'gateway-sa',
    });
    const notification = serviceManifests({
      name: 'notification',
      namespace: NS,
      image: 'docker.io/library/busybox:1.36',
      ports: [{ name: 'http', port: 8080 }],
      secretEnv: { SLACK_WEBHOOK_URL: { secret: 'notification-slack', key: 'webhook-url' } },
    });
    await kube.apply([
      ...gateway,
      ...notification,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'notification-slack', namespace: NS },
        stringData: {},
      },
    ]);
    const error = await deployStep(kube, 'datastorage', datastorage);
    const report = await gatherDiagnostics({
      kube,
      namespace: NS,
      dir,
      failedStep: { id: 'deploy:datastorage', kind: 'deploy', error },
    });
    const byKind = (kind: string) => report.findings.filter((f) => f.kind === kind).map((f) => f.summary);
    expect(byKind('volume-mount')).toEqual([
      'ConfigMap datastorage-config not found: the pod cannot mount volume config, so it stays ContainerCreating; apply the ConfigMap in namespace kubernaut-e2e (the kubelet retries) or mark the volume optional',
    ]);
    expect(byKind('container-config')).toEqual([
      expect.stringMatching(
        /^Secret notification-slack has no key webhook-url: container notification cannot start \(CreateContainerConfigError\)/,
      ),
    ]);
    expect(byKind('pod-create-failed')).toEqual([
      expect.stringMatching(
        /^ServiceAccount gateway-sa not found: replicaset\/gateway-[0-9a-z]{9} cannot create any pod \(FailedCreate\)/,
      ),
    ]);
    // The step's own error says what stopped the rollout, in the kubelet's words.
    expect(report.findings[0]!.summary).toContain(
      'FailedMount: MountVolume.SetUp failed for volume "config" : configmap "datastorage-config" not found',
    );
  });

  it('a readiness probe on a port the container does not declare: the port and the declared ones', async () => {
    const { kube } = await cluster();
    const objects = service('authwebhook', 'docker.io/library/busybox:1.36').map((o) =>
      o.kind === 'Deployment' ? withReadinessPort(o, 'webhook') : o,
    );
    const error = await deployStep(kube, 'authwebhook', objects);
    const report = await gatherDiagnostics({
      kube,
      namespace: NS,
      dir,
      failedStep: { id: 'deploy:authwebhook', error },
    });
    const probe = report.findings.find((f) => f.kind === 'readiness-probe')!;
    expect(probe.summary).toBe(
      'the readiness probe of container authwebhook names port "webhook", which the container does not declare (it declares http 8080): the kubelet cannot run the probe, so the pod never becomes ready; use a declared port name or add the port',
    );
  });

  it('a migration that fails (fault `migrate`): the file from the tool’s output', async () => {
    const { sim } = await cluster([
      {
        op: 'migrate',
        fail: true,
        message:
          'goose run: ERROR 00002_add_trace_index.sql: failed to run SQL migration: ERROR: relation "resource_action_traces" does not exist (SQLSTATE 42P01)',
      },
    ]);
    const error = await sim.migrator
      .migrate(
        { host: '127.0.0.1', port: 40000, database: 'action_history', user: 'slm_user', password: 'x' },
        'migrations',
      )
      .catch((e: unknown) => new StepError('migrate:datastorage', e));
    const report = await gatherDiagnostics({
      kube: sim.kube(KUBECONFIG),
      namespace: NS,
      dir,
      failedStep: { id: 'migrate:datastorage', kind: 'migrate', error },
    });
    expect(report.findings[0]).toMatchObject({
      kind: 'migration',
      subject: 'migration 00002_add_trace_index.sql',
    });
  });

  it('coverage at teardown: scales the instrumented service to 0, waits for its pod, copies every node', async () => {
    const { sim, kube } = await cluster();
    await kube.apply(service('gateway', 'docker.io/library/busybox:1.36', { coverage: true }));
    await kube.apply(service('postgresql', 'docker.io/library/postgres:16-alpine'));
    await kube.rolloutStatus('deployment/gateway', NS, 60_000);
    const runner = new ScriptedRunner([
      { argv: ['go', 'version'], error: new ToolNotFoundError('go', 'apt-get install golang-go') },
    ]);
    const start = sim.clock.now();
    const report = await collectCoverage({ kube, engine: sim.engine, runner, namespace: NS, dir });
    expect(sim.clock.now() - start).toBe(2_000); // the pod's termination
    expect(report.scaled).toEqual(['gateway']);
    expect(sim.world.copies).toEqual([
      { container: `${CLUSTER}-control-plane`, srcPath: '/coverdata/.', destDir: join(dir, 'covdata') },
    ]);
    const pods = (await kube.getJson('pods', { namespace: NS })) as {
      items: { metadata: { name: string } }[];
    };
    expect(pods.items.map((p) => p.metadata.name)).toEqual([expect.stringMatching(/^postgresql-/)]);
    // The simulator writes no files, so there is no data to process; teardown says so and goes on.
    expect(formatCoverage(report).join('\n')).toContain('no coverage data in /coverdata');
  });
});

function withPullPolicy(deployment: KubeObject, policy: string): KubeObject {
  const copy = structuredClone(deployment) as KubeObject & {
    spec: { template: { spec: { containers: { imagePullPolicy?: string }[] } } };
  };
  for (const c of copy.spec.template.spec.containers) c.imagePullPolicy = policy;
  return copy;
}

function withReadinessPort(deployment: KubeObject, port: string): KubeObject {
  const copy = structuredClone(deployment) as KubeObject & {
    spec: { template: { spec: { containers: { readinessProbe?: { httpGet?: { port: unknown } } }[] } } };
  };
  for (const c of copy.spec.template.spec.containers)
    if (c.readinessProbe?.httpGet) c.readinessProbe.httpGet.port = port;
  return copy;
}
