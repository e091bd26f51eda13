import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKubectlClient } from '../kubectl/kubectl-client.js';
import { gatherDiagnostics } from './gather-diagnostics.js';

/*
 * Diagnostics against a hung API server (accepts connections, never answers): every kubectl carries
 * `--request-timeout`, gathering ends at its overall deadline, and the report says the API server did not answer.
 * What kubectl prints when its request times out was recorded from kubectl v1.32.4 against such a server.
 */
const KUBECONFIG = '/tmp/run-1/kubeconfig';
const NO_ANSWER =
  'Unable to connect to the server: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-diagnostics-deadline-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gatherDiagnostics against a hung API server', () => {
  it('every kubectl it runs carries --request-timeout (5 s by default, or as given)', async () => {
    const timeouts = async (requestTimeoutMs?: number) => {
      const runner = new ScriptedRunner([
        { match: (argv) => argv[0] === 'kubectl', times: 3, exitCode: 1, stderr: NO_ANSWER },
      ]);
      const kube = createKubectlClient({ runner, kubeconfigPath: KUBECONFIG });
      await gatherDiagnostics({
        kube,
        namespace: 'e2e',
        dir,
        ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
      });
      runner.assertAllUsed();
      return runner.argvs.map((argv) => argv.slice(0, 4).join(' '));
    };
    expect(await timeouts()).toEqual(
      Array(3).fill(`kubectl --kubeconfig ${KUBECONFIG} --request-timeout=5s`),
    );
    expect(await timeouts(2_000)).toEqual(
      Array(3).fill(`kubectl --kubeconfig ${KUBECONFIG} --request-timeout=2s`),
    );
  });

  it('kubectl timing out: the report says the API server did not answer', async () => {
    const runner = new ScriptedRunner([
      { match: (argv) => argv[0] === 'kubectl', times: 3, exitCode: 1, stderr: NO_ANSWER },
    ]);
    const report = await gatherDiagnostics({
      kube: createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }),
      namespace: 'e2e',
      dir,
    });
    expect(report.findings[0]).toMatchObject({ kind: 'api-server-unresponsive', subject: 'API server' });
    expect(report.findings[0]!.summary).toContain('the API server did not answer');
    expect(await readFile(join(dir, 'findings.txt'), 'utf8')).toContain(
      'API server: the API server did not answer',
    );
  });

  it('kubectl that never returns: gathering ends at its deadline, with what it could not collect', async () => {
    const runner = new ScriptedRunner([{ match: (argv) => argv[0] === 'kubectl', times: 3, hang: true }]);
    const report = await gatherDiagnostics({
      kube: createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }),
      namespace: 'e2e',
      dir,
      deadlineMs: 300,
    });
    expect(report.gaps.map((g) => g.what).sort()).toEqual(['events', 'nodes', 'pods']);
    expect(report.gaps[0]!.reason).toBe('not collected: the diagnostics deadline of 300 ms passed');
    expect(report.findings[0]?.kind).toBe('api-server-unresponsive');
    expect(await readFile(join(dir, 'gaps.txt'), 'utf8')).toContain('deadline of 300 ms passed');
  });

  it('the run being cancelled stops gathering at once and says so (it is not a gap)', async () => {
    const runner = new ScriptedRunner([{ match: (argv) => argv[0] === 'kubectl', times: 3, hang: true }]);
    const controller = new AbortController();
    const gathering = gatherDiagnostics({
      kube: createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }),
      namespace: 'e2e',
      dir,
      ctx: { signal: controller.signal },
    });
    await runner.waitForCall((call) => call.argv.includes('nodes'));
    controller.abort(new Error('SIGINT'));
    await expect(gathering).rejects.toBeInstanceOf(CancelledError);
  });
});
