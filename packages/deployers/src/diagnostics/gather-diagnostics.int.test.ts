import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandRunner, type KubeClient, NotReadyError, StepError } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKubectlClient } from '../kubectl/kubectl-client.js';
import { type FakeKubeApi, startFakeKubeApi } from '../testing-internal/fake-kube-api.js';
import { formatDiagnostics } from './format-diagnostics.js';
import { gatherDiagnostics } from './gather-diagnostics.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../__fixtures__/diagnostics/${name}`, import.meta.url));

const NS = 'kubernaut-e2e';
const items = (name: string) => (JSON.parse(fixture(name).toString()) as { items: object[] }).items;

/**
 * The real kubectl, through the real runner, against the in-memory API server serving the recorded pods,
 * events and nodes of a failed run: everything `gatherDiagnostics` asks for is answered the way an API
 * server answers it, including the refusals (`--previous` of a container that never restarted, logs of
 * a container whose image never arrived), and `describe` is kubectl's own rendering.
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
    api.setPods(NS, items('pods-failing.json'));
    api.setEvents(NS, items('events-failing.json'));
    api.setNodes(items('nodes.json'));
    api.setLog(
      NS,
      'datastorage-7d4b9c6f8-k8j2p',
      'datastorage',
      fixture('datastorage-previous.log').toString(),
      true,
    );
    api.setLog(NS, 'datastorage-7d4b9c6f8-k8j2p', 'datastorage', '');
    api.setLog(
      NS,
      'notification-5c8d7f9b4-qw5zt',
      'notification',
      'listening on :8080\nwaiting for DataStorage\n',
    );
    api.setLog(
      NS,
      'postgresql-5d9f8b7c6-h7m2x',
      'postgresql',
      'database system is ready to accept connections\n',
    );
    dir = await mkdtemp(join(tmpdir(), 'kubernaut-diagnostics-'));
  });
  afterAll(async () => {
    if (previousCacheDir === undefined) delete process.env.KUBECACHEDIR;
    else process.env.KUBECACHEDIR = previousCacheDir;
    await api?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes every pod’s description and logs, the lists, and says what went wrong', async () => {
    const error = new StepError(
      'deploy:gateway',
      new NotReadyError(
        'rollout of deployment/gateway in namespace kubernaut-e2e',
        '0 of 1 updated replicas are available',
      ),
    );
    const report = await gatherDiagnostics({
      kube,
      namespace: NS,
      dir,
      failedStep: {
        id: 'deploy:gateway',
        kind: 'deploy',
        error,
        output: [
          {
            source: 'deploy:gateway',
            stream: 'stdout',
            text: 'deployment.apps/gateway serverside-applied',
            at: 1,
          },
          {
            source: 'deploy:gateway',
            stream: 'stderr',
            text: 'error: timed out waiting for the condition',
            at: 2,
          },
        ],
      },
      plan: { service: 'gateway', steps: [] },
      trace: { service: 'gateway', steps: [] },
    });

    const gateway = await readFile(join(dir, 'pods/gateway-6f9c7b8d5-x2x7q/describe.txt'), 'utf8');
    expect(gateway).toContain('Reason:       ErrImageNeverPull');
    expect(gateway).toContain('is not present with pull policy of Never');
    expect(
      await readFile(join(dir, 'pods/datastorage-7d4b9c6f8-k8j2p/datastorage.previous.log'), 'utf8'),
    ).toContain('password authentication failed');
    expect(await readFile(join(dir, 'pods/notification-5c8d7f9b4-qw5zt/notification.log'), 'utf8')).toBe(
      'listening on :8080\nwaiting for DataStorage\n',
    );
    expect(JSON.parse(await readFile(join(dir, 'pods.json'), 'utf8')).items).toHaveLength(6);
    expect(await readFile(join(dir, 'node-conditions.txt'), 'utf8')).toContain(
      'Ready=True (KubeletReady): kubelet is posting ready status',
    );
    expect(await readFile(join(dir, 'failed-step.log'), 'utf8')).toBe(
      '[stdout] deployment.apps/gateway serverside-applied\n[stderr] error: timed out waiting for the condition\n',
    );
    expect(await readFile(join(dir, 'failed-step.error.txt'), 'utf8')).toContain(
      'caused by: NotReadyError [KE_NOT_READY]: rollout of deployment/gateway',
    );
    expect((await readdir(dir)).sort()).toEqual(
      [
        'events.json',
        'failed-step.error.txt',
        'failed-step.log',
        'findings.txt',
        'gaps.txt',
        'node-conditions.txt',
        'nodes.json',
        'plan.json',
        'pods',
        'pods.json',
        'trace.json',
      ].sort(),
    );

    // Two containers never started, so their logs could not be read: reported, not thrown.
    expect(report.gaps.map((g) => g.what).sort()).toEqual([
      'logs of authwebhook-84c6d9f7b-z9r4t/authwebhook',
      'logs of gateway-6f9c7b8d5-x2x7q/gateway',
      'logs of redis-6b8f5d7c9-pl4mn/redis',
    ]);
    expect(report.gaps[0]!.reason).toMatch(/BadRequest|waiting to start|not found/);

    expect(report.findings.map((f) => `${f.kind} ${f.subject}`)).toEqual([
      'not-ready deployment/gateway',
      'unschedulable pod/redis-6b8f5d7c9-pl4mn',
      'crash-loop pod/datastorage-7d4b9c6f8-k8j2p',
      'image-not-loaded pod/gateway-6f9c7b8d5-x2x7q',
      'readiness-probe pod/notification-5c8d7f9b4-qw5zt',
      'image-not-loaded pod/authwebhook-84c6d9f7b-z9r4t',
    ]);
    const printed = formatDiagnostics(report).join('\n');
    expect(printed).toContain(`Diagnostics: ${dir}`);
    expect(printed).toContain('log: {"level":"fatal"');
    expect(printed).toContain('… and 1 more in findings.txt');
  });
});
