import { readFileSync } from 'node:fs';
import { NotReadyError, PodFailedError, realClock } from '@kubernaut-e2e/core';
import { type ScriptedExpectation, ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { createKubectlClient } from '@kubernaut-e2e/deployers';
import { describe, expect, it } from 'vitest';
import { waitForRollouts } from './wait-for-rollouts.js';

const kubectl = (...args: string[]) => ['kubectl', '--kubeconfig', '/kc', ...args];
const rollout = (name: string) =>
  kubectl('rollout', 'status', `deployment/${name}`, '-n', 'e2e', '--timeout=60s');
const getDeployment = (name: string) => kubectl('get', `deployment/${name}`, '-n', 'e2e', '-o', 'json');
const getPods = (name: string) => kubectl('get', 'pods', '-n', 'e2e', '-l', `app=${name}`, '-o', 'json');

/** Recorded-format kubectl output of a failed namespace (see deployers' `__fixtures__/diagnostics/README.md`). */
const fixture = (name: string) =>
  readFileSync(new URL(`../../../deployers/src/__fixtures__/diagnostics/${name}`, import.meta.url), 'utf8');
type PodJson = { metadata: { name: string; labels: Record<string, string> }; spec: Record<string, unknown> };
const podsOf = (file: string, app: string): PodJson[] =>
  (JSON.parse(fixture(file)) as { items: PodJson[] }).items.filter((p) => p.metadata.labels.app === app);
const list = (items: readonly unknown[]) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: {} });

/** `kubectl get deployment/<app> -o json`: its selector and the template the recorded pod was made from. */
function deploymentJson(pod: PodJson, app: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: 'e2e' },
    spec: { selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: pod.spec } },
  });
}

/** The watch's reads of one rollout whose pods kubectl reports as `pods` (the same answer every poll). */
function watchReads(app: string, pods: readonly PodJson[], template = pods[0]!): ScriptedExpectation[] {
  return [
    { argv: getDeployment(app), stdout: deploymentJson(template, app) },
    { argv: getPods(app), stdout: list(pods), times: Number.POSITIVE_INFINITY },
  ];
}

const fast = { clock: realClock, pollMs: 5 };

describe('waitForRollouts (the real kubectl client over a scripted process boundary)', () => {
  it('waits for the rollout of every resource', async () => {
    const runner = new ScriptedRunner([
      { argv: rollout('postgresql') },
      { argv: rollout('redis') },
      { argv: rollout('datastorage') },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: '/kc' });
    await waitForRollouts(
      kube,
      ['deployment/postgresql', 'deployment/redis', 'deployment/datastorage'],
      'e2e',
      60_000,
      undefined,
      { ...fast, enabled: false },
    );
    runner.assertAllUsed();
  });

  it('fails with the first failure at once, without waiting for the rollouts still going', async () => {
    const runner = new ScriptedRunner([
      { argv: rollout('postgresql'), hang: true },
      { argv: rollout('redis'), stderr: 'error: timed out waiting for the condition\n', exitCode: 1 },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: '/kc' });
    const stop = new AbortController();
    try {
      const error = await waitForRollouts(
        kube,
        ['deployment/postgresql', 'deployment/redis'],
        'e2e',
        60_000,
        { signal: stop.signal },
        { ...fast, enabled: false },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotReadyError);
      expect((error as NotReadyError).target).toBe('rollout of deployment/redis in namespace e2e');
    } finally {
      stop.abort(); // what the scheduler's fail-fast does to the rollout still waiting
    }
  });
});

describe('waitForRollouts fails the moment a pod cannot become ready on its own', () => {
  /** A hanging `rollout status` (it would wait out its deadline) plus the watch's reads; returns the wait's error. */
  async function failureOf(
    app: string,
    reads: readonly ScriptedExpectation[],
    options: { failAfterRestarts?: number; ownImages?: readonly string[] } = {},
  ) {
    const runner = new ScriptedRunner([{ argv: rollout(app), hang: true }, ...reads]);
    const kube = createKubectlClient({ runner, kubeconfigPath: '/kc' });
    const error = await waitForRollouts(kube, [`deployment/${app}`], 'e2e', 60_000, undefined, {
      ...fast,
      ...options,
    }).catch((e: unknown) => e);
    runner.assertAllUsed();
    return { error: error as PodFailedError, runner };
  }

  /**
   * The same wait over pods that can still resolve: it reads them poll after poll without failing; the test stops it
   * after three reads (what the deadline would do). Returns what the wait ended with and how often it read the pods.
   */
  async function keepsWaiting(
    app: string,
    pods: readonly PodJson[],
    options: { failAfterRestarts?: number; ownImages?: readonly string[]; template?: PodJson } = {},
  ) {
    const stop = new AbortController();
    let reads = 0;
    const runner = new ScriptedRunner([
      { argv: rollout(app), hang: true },
      { argv: getDeployment(app), stdout: deploymentJson(options.template ?? pods[0]!, app) },
      {
        argv: getPods(app),
        times: Number.POSITIVE_INFINITY,
        respond: () => {
          if (++reads === 3) stop.abort(new Error('deadline'));
          return { stdout: list(pods) };
        },
      },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: '/kc' });
    const error = await waitForRollouts(
      kube,
      [`deployment/${app}`],
      'e2e',
      60_000,
      { signal: stop.signal },
      {
        ...fast,
        ...options,
      },
    ).catch((e: unknown) => e);
    return { error, reads };
  }

  it('a crash loop past its restarts: the recognised cause and the crashed instance’s last log lines', async () => {
    const [pod] = podsOf('pods-failing.json', 'datastorage');
    const { error, runner } = await failureOf('datastorage', [
      ...watchReads('datastorage', [pod!]),
      {
        argv: kubectl('logs', '-n', 'e2e', pod!.metadata.name, '-c', 'datastorage', '--previous', '--tail=5'),
        stdout: fixture('datastorage-previous.log'),
      },
    ]);
    expect(error).toBeInstanceOf(PodFailedError);
    expect(error.code).toBe('KE_POD_FAILED');
    expect(error).toMatchObject({
      pod: pod!.metadata.name,
      container: 'datastorage',
      reason: 'CrashLoopBackOff',
    });
    expect(error.message).toContain(
      'deployment/datastorage in namespace e2e cannot become ready: pod/datastorage-7d4b9c6f8-k8j2p: container datastorage keeps crashing (CrashLoopBackOff, 4 restarts, last exit code 1)',
    );
    expect(error.logLines.at(-1)).toContain('FATAL: password authentication failed for user \\"slm_user\\"');
    // The hanging `kubectl rollout status` was stopped, not left to its deadline.
    expect(runner.calls.find((c) => c.argv.includes('rollout'))?.options.signal?.aborted).toBe(true);
  });

  it('a crash loop below failAfterRestarts keeps waiting: the deadline decides', async () => {
    const { error, reads } = await keepsWaiting('datastorage', podsOf('pods-failing.json', 'datastorage'), {
      failAfterRestarts: 5,
    });
    expect(reads).toBe(3);
    expect(error).not.toBeInstanceOf(PodFailedError);
  });

  it('ErrImageNeverPull: the image was never loaded', async () => {
    const { error } = await failureOf(
      'gateway',
      watchReads('gateway', podsOf('pods-failing.json', 'gateway')),
    );
    expect(error).toBeInstanceOf(PodFailedError);
    expect(error.reason).toBe('ErrImageNeverPull');
    expect(error.message).toMatch(
      /pod\/gateway-6f9c7b8d5-x2x7q: image localhost\/kubernaut\/gateway:gateway-e2e-1a2b3c4d5e6f of container gateway was not loaded onto the cluster's nodes/,
    );
    expect(error.logLines).toEqual([]);
  });

  it('ImagePullBackOff fails for an image the run loaded itself or a localhost one, not one a registry may serve', async () => {
    const pods = podsOf('pods-failing.json', 'authwebhook');
    const image = 'localhost/kubernaut/authwebhook:authwebhook-e2e-5e4d3c2b1a09';
    const own = await failureOf('authwebhook', watchReads('authwebhook', pods), { ownImages: [image] });
    expect(own.error).toBeInstanceOf(PodFailedError);
    expect(own.error.reason).toBe('ImagePullBackOff');
    expect(own.error.message).toContain('the kubelet cannot pull a localhost image from any registry');
    const local = await failureOf('authwebhook', watchReads('authwebhook', pods));
    expect(local.error.reason).toBe('ImagePullBackOff');

    const remote = structuredClone(pods[0]!) as PodJson & {
      spec: { containers: { image: string }[] };
      status: { containerStatuses: { image: string }[] };
    };
    remote.spec.containers[0]!.image = 'quay.io/jordigilh/authwebhook:v1.2.0';
    remote.status.containerStatuses[0]!.image = 'quay.io/jordigilh/authwebhook:v1.2.0';
    const other = await keepsWaiting('authwebhook', [remote], { ownImages: [image] });
    expect(other.reads).toBe(3);
    expect(other.error).not.toBeInstanceOf(PodFailedError);
  });

  it('CreateContainerConfigError: the missing key is named', async () => {
    const pods = podsOf('pods-missing-references.json', 'remediationorchestrator');
    const { error } = await failureOf('remediationorchestrator', watchReads('remediationorchestrator', pods));
    expect(error.reason).toBe('CreateContainerConfigError');
    expect(error.message).toMatch(/has no key .+: container remediationorchestrator cannot start/);
  });

  it('a container that exited non-zero with restartPolicy Never: its own last log lines', async () => {
    const [base] = podsOf('pods-failing.json', 'postgresql');
    const pod = structuredClone(base!) as PodJson & {
      status: { containerStatuses: Record<string, unknown>[] };
    };
    pod.spec.restartPolicy = 'Never';
    pod.status.containerStatuses[0]!.state = { terminated: { exitCode: 3, reason: 'Error' } };
    const { error } = await failureOf('postgresql', [
      ...watchReads('postgresql', [pod]),
      {
        argv: kubectl('logs', '-n', 'e2e', pod.metadata.name, '-c', 'postgresql', '--tail=5'),
        stdout: 'initdb: error: directory "/var/lib/postgresql/data" exists but is not empty\n',
      },
    ]);
    expect(error.reason).toBe('Error');
    expect(error.message).toContain('container postgresql exited with code 3 (Error)');
    expect(error.logLines).toEqual([
      'initdb: error: directory "/var/lib/postgresql/data" exists but is not empty',
    ]);
  });

  it('states that can still resolve keep it waiting: ContainerCreating, a readiness probe not yet passing', async () => {
    for (const [file, app] of [
      ['pods-missing-references.json', 'gateway'], // ContainerCreating (a Secret volume not there yet)
      ['pods-failing.json', 'notification'], // running, readiness probe failing
    ] as const) {
      const { error, reads } = await keepsWaiting(app, podsOf(file, app));
      expect(reads, app).toBe(3);
      expect(error, app).not.toBeInstanceOf(PodFailedError);
    }
  });

  it('pods of an older template (another image) are not judged: the rollout replaces them', async () => {
    const [pod] = podsOf('pods-failing.json', 'datastorage');
    const fixed = structuredClone(pod!) as PodJson & { spec: { containers: { image: string }[] } };
    fixed.spec.containers[0]!.image = 'localhost/kubernaut/datastorage:datastorage-e2e-fixed';
    const { error, reads } = await keepsWaiting('datastorage', [pod!], { template: fixed });
    expect(reads).toBe(3);
    expect(error).not.toBeInstanceOf(PodFailedError);
  });
});
