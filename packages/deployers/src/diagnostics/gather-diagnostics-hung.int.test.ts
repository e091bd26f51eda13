import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandRunner } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKubectlClient } from '../kubectl/kubectl-client.js';
import { gatherDiagnostics } from './gather-diagnostics.js';

/*
 * The real kubectl against a hung API server: a socket that accepts connections and never answers (not even the
 * TLS handshake). Without `--request-timeout` kubectl would wait on its own client timeouts (32 s a command, as the
 * issue measured); with it, and the diagnostics' overall deadline, gathering ends at the deadline and says the API
 * server did not answer.
 */
describeWithBinaries(['kubectl'], { kubectl: 'kubernetes-client' }, () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let dir: string;
  let kubeconfigPath: string;
  const previousCacheDir = process.env.KUBECACHEDIR;

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    dir = await mkdtemp(join(tmpdir(), 'kubernaut-diagnostics-hung-'));
    kubeconfigPath = join(dir, 'kubeconfig');
    // kubectl's discovery cache goes to the test's directory, not ~/.kube/cache.
    process.env.KUBECACHEDIR = join(dir, 'cache');
    await writeFile(
      kubeconfigPath,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- cluster: { server: 'https://127.0.0.1:${(server.address() as AddressInfo).port}', insecure-skip-tls-verify: true }`,
        '  name: hung',
        'contexts:',
        '- context: { cluster: hung, user: hung }',
        '  name: hung',
        'current-context: hung',
        'users:',
        '- name: hung',
        '  user: { token: none }',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
  });
  afterAll(async () => {
    if (previousCacheDir === undefined) delete process.env.KUBECACHEDIR;
    else process.env.KUBECACHEDIR = previousCacheDir;
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ends at its deadline and says the API server did not answer', async () => {
    const kube = createKubectlClient({ runner: createCommandRunner(), kubeconfigPath });
    const report = await gatherDiagnostics({
      kube,
      namespace: 'e2e',
      dir: join(dir, 'diagnostics'),
      deadlineMs: 4_000,
      requestTimeoutMs: 1_000,
    });
    expect(sockets.size).toBeGreaterThan(0);
    expect(report.findings[0]).toMatchObject({ kind: 'api-server-unresponsive', subject: 'API server' });
    expect(report.gaps.map((g) => g.what).sort()).toEqual(['events', 'nodes', 'pods']);
    // kubectl retries discovery (5 × the request timeout), so the overall deadline is what ended each command.
    expect(report.gaps.map((g) => g.reason)).toEqual(
      Array(3).fill('not collected: the diagnostics deadline of 4000 ms passed'),
    );
  });
});
