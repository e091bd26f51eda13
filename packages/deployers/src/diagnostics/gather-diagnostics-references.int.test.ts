import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandRunner, type KubeClient } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKubectlClient } from '../kubectl/kubectl-client.js';
import { type FakeKubeApi, startFakeKubeApi } from '../testing-internal/fake-kube-api.js';
import { gatherDiagnostics } from './gather-diagnostics.js';

const NS = 'kubernaut-e2e';
const items = (name: string) =>
  (
    JSON.parse(readFileSync(new URL(`../__fixtures__/diagnostics/${name}`, import.meta.url), 'utf8')) as {
      items: object[];
    }
  ).items;

/**
 * The real kubectl reads the recorded-shape pods and events of missing references from the in-memory API
 * server: the findings survive kubectl's round trip, and `describe` shows the kubelet's messages.
 */
describeWithBinaries(['kubectl'], { kubectl: 'kubernetes-client' }, () => {
  let api: FakeKubeApi;
  let kube: KubeClient;
  let dir: string;
  const previousCacheDir = process.env.KUBECACHEDIR;

  beforeAll(async () => {
    api = await startFakeKubeApi();
    process.env.KUBECACHEDIR = api.cacheDir;
    kube = createKubectlClient({ runner: createCommandRunner(), kubeconfigPath: api.kubeconfigPath });
    api.setPods(NS, items('pods-missing-references.json'));
    api.setEvents(NS, items('events-missing-references.json'));
    api.setNodes([]);
    dir = await mkdtemp(join(tmpdir(), 'kubernaut-diagnostics-refs-'));
  });
  afterAll(async () => {
    if (previousCacheDir === undefined) delete process.env.KUBECACHEDIR;
    else process.env.KUBECACHEDIR = previousCacheDir;
    await api?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('names every missing ConfigMap, Secret, key, ServiceAccount and probe port through kubectl', async () => {
    const report = await gatherDiagnostics({ kube, namespace: NS, dir });
    expect(report.findings.map((f) => `${f.kind} ${f.subject} ${f.summary.split(':')[0]}`)).toEqual([
      'volume-mount pod/datastorage-7d4b9c6f8-k8j2p ConfigMap datastorage-config not found',
      'volume-mount pod/datastorage-7d4b9c6f8-k8j2p ConfigMap inter-service-ca not found',
      'volume-mount pod/datastorage-7d4b9c6f8-k8j2p Secret datastorage-signing not found',
      'volume-mount pod/gateway-6f9c7b8d5-x2x7q Secret gateway-tls has no key tls.key',
      'container-config pod/notification-5c8d7f9b4-qw5zt Secret notification-slack not found',
      'container-config pod/remediationorchestrator-58f7c9d6b-m3n8v Secret datastorage-db has no key DB_PASSWORD',
      'readiness-probe pod/authwebhook-84c6d9f7b-z9r4t the readiness probe of container authwebhook names port "webhook", which the container does not declare (it declares https 9443)',
      'pod-create-failed replicaset/effectivenessmonitor-7c5d8b9f4 ServiceAccount effectivenessmonitor-sa not found',
    ]);
    const described = await readFile(join(dir, 'pods/datastorage-7d4b9c6f8-k8j2p/describe.txt'), 'utf8');
    expect(described).toContain('ContainerCreating');
    expect(described).toContain(
      'MountVolume.SetUp failed for volume "config" : configmap "datastorage-config" not found',
    );
    expect(await readFile(join(dir, 'pods/notification-5c8d7f9b4-qw5zt/describe.txt'), 'utf8')).toContain(
      'CreateContainerConfigError',
    );
  });
});
