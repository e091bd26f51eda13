import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandError, createCommandRunner, type KubeClient, NotReadyError } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKubectlClient } from './kubectl-client.js';

/**
 * The real kubectl binary against a kubeconfig whose API server refuses connections. kubectl parses its
 * flags before it dials, so every call getting as far as "connection refused" (and never "unknown flag"
 * or a usage error) proves kubectl accepts the exact argv the client builds.
 */
describeWithBinaries(['kubectl'], { kubectl: 'kubernetes-client' }, () => {
  let dir: string;
  let kube: KubeClient;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubernaut-kubectl-'));
    // A port that was free a moment ago: nothing listens, so connections are refused at once.
    port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as { port: number };
        server.close(() => resolve(p));
      });
    });
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}`,
        '  name: refused',
        'contexts:',
        '- context: {cluster: refused, user: refused}',
        '  name: refused',
        'current-context: refused',
        'users:',
        '- name: refused',
        '  user: {token: not-a-real-token}',
      ].join('\n'),
      { mode: 0o600 },
    );
    kube = createKubectlClient({
      runner: createCommandRunner(),
      kubeconfigPath: kubeconfig,
      context: 'refused',
      portForwardReadyTimeoutMs: 20_000,
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function refused(call: Promise<unknown>): Promise<CommandError> {
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error).not.toBeInstanceOf(NotReadyError);
    const output = (error as CommandError).stderrTail.join('\n');
    expect(output).not.toMatch(
      /unknown (shorthand )?flag|unknown command|Usage:|error: (you must|at least one)/i,
    );
    expect(output).toContain(`127.0.0.1:${port}`);
    expect(output).toContain('refused');
    return error as CommandError;
  }

  it('apply: server-side with field manager and --force-conflicts, manifests on stdin', async () => {
    await refused(
      kube.apply([
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'e2e' }, data: { a: '1' } },
      ]),
    );
  });

  it('rollout status, wait, exec and patch', async () => {
    await refused(kube.rolloutStatus('deployment/postgresql', 'e2e', 5000));
    await refused(kube.waitFor('deployment/postgresql', 'condition=Available', 'e2e', 5000));
    await refused(kube.exec('e2e', 'deployment/postgresql', ['pg_isready'], { container: 'postgresql' }));
    await refused(
      kube.patch('mutatingwebhookconfiguration/x', undefined, [
        { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: 'Q0E=' },
      ]),
    );
  });

  it('port-forward: kubectl exits before forwarding and the client reports its error', async () => {
    await refused(kube.portForward('e2e', 'svc/postgresql', 5432));
  });
});
