import { readFileSync } from 'node:fs';
import { CommandError, ConfigError, NotReadyError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { createKubectlClient } from './kubectl-client.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../__fixtures__/diagnostics/${name}`, import.meta.url), 'utf8');
const KUBECONFIG = '/tmp/run-1/kubeconfig';
const base = ['kubectl', '--kubeconfig', KUBECONFIG];
const NS = 'kubernaut-e2e';

describe('createKubectlClient: reads, scale and wait for deletion (argv contract)', () => {
  it('getJson runs `get <kind> -n <ns> -l <selector> -o json` and parses what kubectl printed', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [...base, 'get', 'pods', '-n', NS, '-l', 'app=gateway', '-o', 'json'],
        stdout: fixture('pods-failing.json'),
      },
      { argv: [...base, 'get', 'nodes', '-o', 'json'], stdout: fixture('nodes.json') },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: KUBECONFIG });
    const pods = (await kube.getJson('pods', { namespace: NS, labelSelector: 'app=gateway' })) as {
      items: unknown[];
    };
    expect(pods.items).toHaveLength(6);
    const nodes = (await kube.getJson('nodes')) as { items: { metadata: { name: string } }[] };
    expect(nodes.items[0]!.metadata.name).toBe('gateway-e2e-control-plane');
    runner.assertAllUsed();
  });

  it('getJson of output that is not JSON is a CommandError that shows the output', async () => {
    const runner = new ScriptedRunner([
      { match: (argv) => argv.includes('get'), stdout: 'No resources found in e2e namespace.' },
    ]);
    const error = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG })
      .getJson('pods', { namespace: 'e2e' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).message).toContain('No resources found');
  });

  it("describe runs `describe <kind/name> -n <ns>` and returns kubectl's text", async () => {
    const runner = new ScriptedRunner([
      {
        argv: [...base, 'describe', 'pod/gateway-6f9c7b8d5-x2x7q', '-n', NS],
        stdout: fixture('describe-gateway.txt'),
      },
    ]);
    const text = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }).describe(
      'pod/gateway-6f9c7b8d5-x2x7q',
      NS,
    );
    expect(text).toContain('Reason:       ErrImageNeverPull');
  });

  it('logs passes the container, --previous and --tail only when asked', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [...base, 'logs', '-n', NS, 'datastorage-7d4b9c6f8-k8j2p', '-c', 'datastorage', '--previous'],
        stdout: fixture('datastorage-previous.log'),
      },
      {
        argv: [...base, 'logs', '-n', NS, 'notification-5c8d7f9b4-qw5zt', '-c', 'notification', '--tail=200'],
        stdout: 'listening on :8080',
      },
      { argv: [...base, 'logs', '-n', NS, 'redis-0'], stdout: 'Ready to accept connections' },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: KUBECONFIG });
    expect(
      await kube.logs(NS, 'datastorage-7d4b9c6f8-k8j2p', { container: 'datastorage', previous: true }),
    ).toContain('password authentication failed');
    expect(
      await kube.logs(NS, 'notification-5c8d7f9b4-qw5zt', { container: 'notification', tailLines: 200 }),
    ).toBe('listening on :8080');
    expect(await kube.logs(NS, 'redis-0')).toBe('Ready to accept connections');
    runner.assertAllUsed();
  });

  it('logs of a container with no previous instance fail with the API server’s answer', async () => {
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv.includes('--previous'),
        exitCode: 1,
        stderr: fixture('logs-previous-not-found.stderr.txt'),
      },
    ]);
    const error = await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG })
      .logs(NS, 'gateway-6f9c7b8d5-x2x7q', { container: 'gateway', previous: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).stderrTail.join('\n')).toContain(
      'previous terminated container "gateway"',
    );
  });

  it('scale runs `scale <ref> -n <ns> --replicas=N`', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [...base, 'scale', 'deployment/gateway', '-n', NS, '--replicas=0'],
        stdout: 'deployment.apps/gateway scaled',
      },
    ]);
    await createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }).scale('deployment/gateway', NS, 0);
    runner.assertAllUsed();
  });

  it('waitDeleted runs `wait --for=delete` with the selector and timeout; its timeout is NotReadyError', async () => {
    const runner = new ScriptedRunner([
      { argv: [...base, 'wait', '--for=delete', 'pods', '-n', NS, '-l', 'app=gateway', '--timeout=60s'] },
      {
        argv: [...base, 'wait', '--for=delete', 'pods', '-n', NS, '-l', 'app=datastorage', '--timeout=2s'],
        exitCode: 1,
        stderr: fixture('wait-delete-timeout.stderr.txt'),
      },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: KUBECONFIG });
    await kube.waitDeleted('pods', { namespace: NS, labelSelector: 'app=gateway' }, 60_000);
    const error = await kube
      .waitDeleted('pods', { namespace: NS, labelSelector: 'app=datastorage' }, 1_500)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).target).toBe(
      'pods (app=datastorage) in namespace kubernaut-e2e (waiting for deletion)',
    );
    expect((error as NotReadyError).lastObservation).toContain(
      'timed out waiting for the condition on pods/',
    );
    runner.assertAllUsed();
  });

  it('refuses bad input before running anything', async () => {
    const runner = new ScriptedRunner([]);
    const kube = createKubectlClient({ runner, kubeconfigPath: KUBECONFIG });
    await expect(kube.scale('deployment/x', NS, -1)).rejects.toBeInstanceOf(ConfigError);
    await expect(kube.scale('deployment/x', NS, 1.5)).rejects.toBeInstanceOf(ConfigError);
    await expect(kube.logs(NS, 'p', { tailLines: 0 })).rejects.toBeInstanceOf(ConfigError);
    await expect(kube.getJson(' ')).rejects.toBeInstanceOf(ConfigError);
    await expect(kube.waitDeleted('pods', { namespace: NS }, 0)).rejects.toBeInstanceOf(ConfigError);
    expect(runner.calls).toHaveLength(0);
  });
});
