import { CommandError, createCommandRunner, type KubeClient, NotReadyError } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeKubeApi, startFakeKubeApi } from '../testing-internal/fake-kube-api.js';
import { createKubectlClient } from './kubectl-client.js';

/**
 * The real kubectl binary, through the real command runner, against an in-memory API server whose
 * Deployments the test drives: rollout status and wait succeed when the Deployment becomes available,
 * and their timeouts become NotReadyError carrying kubectl's own last lines.
 */
describeWithBinaries(['kubectl'], { kubectl: 'kubernetes-client' }, () => {
  let api: FakeKubeApi;
  let kube: KubeClient;
  const previousCacheDir = process.env.KUBECACHEDIR;

  beforeAll(async () => {
    api = await startFakeKubeApi();
    process.env.KUBECACHEDIR = api.cacheDir; // kubectl children inherit it: no discovery cache left in ~/.kube
    kube = createKubectlClient({ runner: createCommandRunner(), kubeconfigPath: api.kubeconfigPath });
  });
  afterAll(async () => {
    if (previousCacheDir === undefined) delete process.env.KUBECACHEDIR;
    else process.env.KUBECACHEDIR = previousCacheDir;
    await api?.close();
  });

  it('rollout status returns once the Deployment becomes available', async () => {
    api.setDeployment('e2e', 'postgresql', 'progressing');
    const lines: string[] = [];
    const waiting = kube.rolloutStatus('deployment/postgresql', 'e2e', 30_000, {
      log: (l) => lines.push(l.text),
    });
    await api.whenWatched('e2e', 'postgresql');
    api.setDeployment('e2e', 'postgresql', 'available');
    await waiting;
    expect(lines).toEqual([
      'Waiting for deployment "postgresql" rollout to finish: 0 of 1 updated replicas are available...',
      'deployment "postgresql" successfully rolled out',
    ]);
  });

  it('rollout status that times out is a NotReadyError with what kubectl printed last', async () => {
    api.setDeployment('e2e', 'redis', 'progressing');
    const error = await kube.rolloutStatus('deployment/redis', 'e2e', 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).lastObservation).toBe(
      'Waiting for deployment "redis" rollout to finish: 0 of 1 updated replicas are available... | error: timed out waiting for the condition',
    );
    expect((error as NotReadyError).cause).toBeInstanceOf(CommandError);
  });

  it('rollout status of a Deployment past its progress deadline fails at once as not ready', async () => {
    api.setDeployment('e2e', 'datastorage', 'deadline-exceeded');
    const error = await kube.rolloutStatus('deployment/datastorage', 'e2e', 30_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).lastObservation).toContain(
      'error: deployment "datastorage" exceeded its progress deadline',
    );
  });

  it('wait --for=condition=Available succeeds when met and is a NotReadyError on timeout', async () => {
    api.setDeployment('e2e', 'gateway', 'progressing');
    const waiting = kube.waitFor('deployment/gateway', 'condition=Available', 'e2e', 30_000);
    await api.whenWatched('e2e', 'gateway');
    api.setDeployment('e2e', 'gateway', 'available');
    await waiting;

    api.setDeployment('e2e', 'notification', 'progressing');
    const error = await kube
      .waitFor('deployment/notification', 'condition=Available', 'e2e', 1000)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).lastObservation).toBe(
      'error: timed out waiting for the condition on deployments/notification',
    );
  });

  it('a missing Deployment is a CommandError from the server, not "not ready"', async () => {
    const error = await kube.rolloutStatus('deployment/absent', 'e2e', 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error).not.toBeInstanceOf(NotReadyError);
    expect((error as CommandError).stderrTail.join('\n')).toContain('not found');
  });
});
