import { readFileSync } from 'node:fs';
import {
  CommandError,
  type CommandRunner,
  ConfigError,
  type KubeObject,
  NotReadyError,
  RunLedger,
  TimeoutError,
} from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createKubectlClient, kubectlClientFactory } from './kubectl-client.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../__fixtures__/kubectl/${name}`, import.meta.url), 'utf8');
const KUBECONFIG = '/tmp/run-1/kubeconfig';
const base = ['kubectl', '--kubeconfig', KUBECONFIG];

const objects: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'e2e' },
    // Values YAML would mangle if written unquoted by hand.
    data: { 'config.yaml': 'a: 1\nb: "on"\n', flag: 'on', mode: '0755', empty: '' },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace: 'e2e' },
    spec: { ports: [{ port: 80 }] },
  },
];

describe('createKubectlClient', () => {
  it('applies server-side with its field manager, forcing conflicts, objects as multi-doc YAML on stdin', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [
          ...base,
          'apply',
          '--server-side',
          '--field-manager=kubernaut-e2e',
          '--force-conflicts',
          '-f',
          '-',
        ],
      },
    ]);
    await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }).apply(objects);
    runner.assertAllUsed();
    const input = runner.calls[0]!.options.input as string;
    const docs = parseAllDocuments(input).map((d) => d.toJS());
    expect(docs).toEqual(objects);
  });

  it('omits --force-conflicts when asked and adds --context after the kubeconfig', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [
          ...base,
          '--context',
          'kind-e2e',
          'apply',
          '--server-side',
          '--field-manager=suite-x',
          '-f',
          '-',
        ],
      },
    ]);
    const kube = createKubectlClient({
      runner,
      kubeconfigPath: KUBECONFIG,
      context: 'kind-e2e',
      fieldManager: 'suite-x',
      forceConflicts: false,
    });
    await kube.apply(objects);
    runner.assertAllUsed();
  });

  it('does not run kubectl for an empty object list (kubectl would fail: "no objects passed to apply")', async () => {
    expect(fixture('apply-empty-stdin.stderr.txt')).toContain('no objects passed to apply');
    const runner = new ScriptedRunner([]);
    await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }).apply([]);
    expect(runner.calls).toHaveLength(0);
  });

  it('surfaces a failed apply as the CommandError with kubectl stderr', async () => {
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv.includes('apply'),
        exitCode: 1,
        stderr: fixture('apply-missing-kubeconfig.stderr.txt'),
      },
    ]);
    const error = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG })
      .apply(objects)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).stderrTail.join('\n')).toContain('no such file or directory');
  });

  it('runs rollout status with the timeout in whole seconds, rounded up', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [...base, 'rollout', 'status', 'deployment/postgresql', '-n', 'e2e', '--timeout=91s'],
        stdout: fixture('rollout-status-success.stdout.txt'),
      },
    ]);
    await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }).rolloutStatus(
      'deployment/postgresql',
      'e2e',
      90_500,
    );
    runner.assertAllUsed();
    // The runner's own deadline is later than kubectl's, so kubectl reports the timeout itself.
    expect(runner.calls[0]!.options.timeoutMs).toBeGreaterThan(90_500);
  });

  it('turns a rollout timeout into NotReadyError carrying what kubectl printed last', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [...base, 'rollout', 'status', 'deployment/postgresql', '-n', 'e2e', '--timeout=5s'],
        stdout: fixture('rollout-status-timeout.stdout.txt'),
        stderr: fixture('rollout-status-timeout.stderr.txt'),
        exitCode: 1,
      },
    ]);
    const error = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG })
      .rolloutStatus('deployment/postgresql', 'e2e', 5000)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    const notReady = error as NotReadyError;
    expect(notReady.target).toBe('rollout of deployment/postgresql in namespace e2e');
    expect(notReady.lastObservation).toContain('0 of 1 updated replicas are available');
    expect(notReady.lastObservation).toContain('timed out waiting for the condition');
    expect(notReady.cause).toBeInstanceOf(CommandError);
  });

  it('treats an exceeded progress deadline as not ready too', async () => {
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv.includes('rollout'),
        stdout: fixture('rollout-status-deadline.stdout.txt'),
        stderr: fixture('rollout-status-deadline.stderr.txt'),
        exitCode: 1,
      },
    ]);
    const error = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG })
      .rolloutStatus('deployment/datastorage', 'e2e', 60_000)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).lastObservation).toContain('exceeded its progress deadline');
  });

  it('keeps an unreachable API server a CommandError (not "not ready")', async () => {
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv.includes('rollout'),
        stderr: fixture('rollout-status-connection-refused.stderr.txt'),
        exitCode: 1,
      },
    ]);
    const error = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG })
      .rolloutStatus('deployment/postgresql', 'e2e', 60_000)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error).not.toBeInstanceOf(NotReadyError);
    expect((error as CommandError).stderrTail.join('\n')).toContain('was refused');
  });

  it('runs kubectl wait with the condition, optional namespace and timeout', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [
          ...base,
          'wait',
          '--for=condition=Available',
          'deployment/postgresql',
          '-n',
          'e2e',
          '--timeout=30s',
        ],
        stdout: fixture('wait-condition-met.stdout.txt'),
      },
      {
        argv: [
          ...base,
          'wait',
          '--for=condition=Established',
          'crd/remediations.kubernaut.ai',
          '--timeout=10s',
        ],
      },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: KUBECONFIG });
    await kube.waitFor('deployment/postgresql', 'condition=Available', 'e2e', 30_000);
    await kube.waitFor('crd/remediations.kubernaut.ai', 'condition=Established', undefined, 10_000);
    runner.assertAllUsed();
  });

  it('turns a kubectl wait timeout into NotReadyError naming the resource and condition', async () => {
    const runner = new ScriptedRunner([
      { match: (argv) => argv.includes('wait'), stderr: fixture('wait-timeout.stderr.txt'), exitCode: 1 },
    ]);
    const error = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG })
      .waitFor('deployment/postgresql', 'condition=Available', 'e2e', 1000)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as Error).message).toContain(
      'deployment/postgresql in namespace e2e (waiting for condition=Available)',
    );
    expect((error as NotReadyError).lastObservation).toBe(
      'error: timed out waiting for the condition on deployments/postgresql',
    );
  });

  it('execs a command in a container and returns its stdout', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [
          ...base,
          'exec',
          '-n',
          'e2e',
          'deployment/postgresql',
          '-c',
          'postgresql',
          '--',
          'psql',
          '-c',
          'select 1',
        ],
        stdout: ' ?column? \n----------\n        1\n',
      },
    ]);
    const out = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }).exec(
      'e2e',
      'deployment/postgresql',
      ['psql', '-c', 'select 1'],
      { container: 'postgresql' },
    );
    expect(out).toContain('1');
    runner.assertAllUsed();
  });

  it('patches with a JSON patch passed as one -p argument', async () => {
    const runner = new ScriptedRunner([{ match: (argv) => argv.includes('patch') }]);
    const ops = [{ op: 'add' as const, path: '/webhooks/0/clientConfig/caBundle', value: 'Q0E=' }];
    await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }).patch(
      'mutatingwebhookconfiguration/authwebhook',
      undefined,
      ops,
    );
    const argv = runner.calls[0]!.argv;
    expect(argv.slice(0, 7)).toEqual([
      ...base,
      'patch',
      'mutatingwebhookconfiguration/authwebhook',
      '--type=json',
      '-p',
    ]);
    expect(JSON.parse(argv[7]!)).toEqual(ops);
    expect(argv).toHaveLength(8);
  });

  it('port-forwards to a free local port, parsing the port kubectl chose, and close() stops kubectl', async () => {
    const runner = new ScriptedRunner([
      {
        method: 'start',
        argv: [...base, 'port-forward', '-n', 'e2e', 'svc/postgresql', ':5432', '--address', '127.0.0.1'],
        stdout: fixture('port-forward-address.stdout.txt'),
      },
    ]);
    const forward = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }).portForward(
      'e2e',
      'svc/postgresql',
      5432,
    );
    expect(forward.localPort).toBe(37513);
    expect(runner.started[0]!.stopped).toBe(false);
    await forward.close();
    expect(runner.started[0]!.stopped).toBe(true);
  });

  it('records the port-forward in the run ledger while it runs (a killed run leaves it findable), released on close', async () => {
    const scripted = new ScriptedRunner([
      {
        method: 'start',
        argv: [...base, 'port-forward', '-n', 'e2e', 'svc/postgresql', ':5432', '--address', '127.0.0.1'],
        stdout: fixture('port-forward-address.stdout.txt'),
      },
    ]);
    // The scripted runner has no processes; give the port-forward a pid as the real runner does.
    const runner: CommandRunner = {
      run: (file, args, options) => scripted.run(file, args, options),
      start: (file, args, options) => {
        const started = scripted.start(file, args, options);
        return {
          argv: started.argv,
          pid: 4242,
          done: started.done,
          waitForLine: (pattern, ms) => started.waitForLine(pattern, ms),
          stop: () => started.stop(),
        };
      },
    };
    const ledger = new RunLedger();
    const forward = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG, ledger }).portForward(
      'e2e',
      'svc/postgresql',
      5432,
    );
    expect(ledger.entries).toEqual([
      expect.objectContaining({
        kind: 'process',
        name: 'kubectl port-forward -n e2e svc/postgresql (pid 4242)',
        resource: expect.objectContaining({
          tool: 'process',
          details: expect.objectContaining({ pid: '4242' }),
        }),
      }),
    ]);
    await forward.close();
    expect(scripted.started[0]!.stopped).toBe(true);
    expect(ledger.entries).toEqual([]);
  });

  it("reports a port-forward that exits before forwarding with kubectl's error", async () => {
    const runner = new ScriptedRunner([
      {
        method: 'start',
        match: (argv) => argv.includes('port-forward'),
        stderr: 'error: services "postgresql" not found\n',
        exitCode: 1,
        exits: true,
      },
    ]);
    const error = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG })
      .portForward('e2e', 'svc/postgresql', 5432)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).stderrTail).toContain('error: services "postgresql" not found');
  });

  it('gives up on a port-forward that never says it is forwarding, and stops it', async () => {
    const runner = new ScriptedRunner([
      { method: 'start', match: (argv) => argv.includes('port-forward'), lines: [] },
    ]);
    const error = await createKubectlClient({
      runner,
      kubeconfigPath: KUBECONFIG,
      portForwardReadyTimeoutMs: 50,
    })
      .portForward('e2e', 'svc/postgresql', 5432)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).cause).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain('port-forward to svc/postgresql:5432 in namespace e2e');
    expect(runner.started[0]!.stopped).toBe(true);
  });

  it('refuses bad input before running anything', async () => {
    const runner = new ScriptedRunner([]);
    expect(() => createKubectlClient({ runner, kubeconfigPath: '' })).toThrow(ConfigError);
    const kube = createKubectlClient({ runner, kubeconfigPath: KUBECONFIG });
    await expect(kube.portForward('e2e', 'svc/x', 70_000)).rejects.toThrow(/remotePort/);
    await expect(kube.exec('e2e', 'pod/x', [])).rejects.toBeInstanceOf(ConfigError);
    await expect(kube.patch('deployment/x', 'e2e', [])).rejects.toBeInstanceOf(ConfigError);
    await expect(kube.rolloutStatus('deployment/x', 'e2e', 0)).rejects.toBeInstanceOf(ConfigError);
    expect(runner.calls).toHaveLength(0);
  });

  it('kubectlClientFactory binds the options and takes the kubeconfig later', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [
          'kubectl',
          '--kubeconfig',
          '/late/kubeconfig',
          '--context',
          'kind-x',
          'exec',
          '-n',
          'e2e',
          'pod/p',
          '--',
          'true',
        ],
      },
    ]);
    const factory = kubectlClientFactory({ runner, context: 'kind-x' });
    await factory('/late/kubeconfig').exec('e2e', 'pod/p', ['true']);
    runner.assertAllUsed();
  });
});
