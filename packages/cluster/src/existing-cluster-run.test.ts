import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, NotReadyError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExistingClusterProvider } from './existing-cluster-provider.js';
import { resourceOf } from './existing-cluster-run.js';
import { fixture, scratchDir } from './testing-internal/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let kubeconfig: string;

beforeEach(async () => {
  ({ dir, cleanup } = await scratchDir());
  kubeconfig = join(dir, 'source.kubeconfig');
  await copyFile(new URL('./__fixtures__/two-context.kubeconfig.yaml', import.meta.url), kubeconfig);
});
afterEach(() => cleanup());

const provider = (runner: ScriptedRunner, context = 'staging') =>
  createExistingClusterProvider({
    kubeconfigPath: kubeconfig,
    context,
    registry: 'registry.example.com:5000/e2e',
    runner,
  });

/** Every existing-cluster command names the user's kubeconfig and the context, never the current context. */
const kubectl = (...args: string[]) => [
  'kubectl',
  '--kubeconfig',
  kubeconfig,
  '--context',
  'staging',
  ...args,
];

const NS = 'gateway-20261202-083319-d25c';

describe('existing cluster: what one run does beyond the KubeClient port (exact kubectl argv)', () => {
  it('forwardPort: a fixed local port to a Service of the run’s namespace, resolved once kubectl forwards', async () => {
    const argv = kubectl('port-forward', '-n', NS, 'service/gateway', '18080:8080', '--address', '127.0.0.1');
    const runner = new ScriptedRunner([
      { argv, method: 'start', stdout: 'Forwarding from 127.0.0.1:18080 -> 8080\n' },
    ]);
    const forward = await provider(runner).forwardPort(NS, 'service/gateway', 18080, 8080);
    expect(runner.argvs).toEqual([argv]);
    expect(runner.started[0]!.stopped).toBe(false);
    await forward.close();
    expect(runner.started[0]!.stopped).toBe(true);
  });

  it('forwardPort: kubectl exiting before it forwards (host port taken) is NotReadyError naming the port', async () => {
    const argv = kubectl('port-forward', '-n', NS, 'service/gateway', '18080:8080', '--address', '127.0.0.1');
    const runner = new ScriptedRunner([
      {
        argv,
        method: 'start',
        exits: true,
        exitCode: 1,
        stderr: 'Unable to listen on port 18080: address already in use\n',
      },
    ]);
    const error = await provider(runner)
      .forwardPort(NS, 'service/gateway', 18080, 8080)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as Error).message).toContain('host port 18080');
  });

  it('deleteRunObjects: the run’s cluster-scoped objects by kind.group/name, then its namespace; waits, tolerates gone', async () => {
    const runner = new ScriptedRunner([
      {
        argv: kubectl(
          'delete',
          `clusterrole.rbac.authorization.k8s.io/${NS}-gateway`,
          `clusterrolebinding.rbac.authorization.k8s.io/${NS}-gateway`,
          '--ignore-not-found',
          '--timeout=300s',
        ),
      },
      { argv: kubectl('delete', 'namespace', NS, '--ignore-not-found', '--timeout=300s') },
    ]);
    const rbac = (kind: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata: { name: `${NS}-gateway` },
    });
    await provider(runner).deleteRunObjects(NS, [rbac('ClusterRole'), rbac('ClusterRoleBinding')]);
    expect(runner.argvs).toHaveLength(2);
  });

  it('deleteRunObjects with no cluster-scoped objects deletes only the namespace', async () => {
    const runner = new ScriptedRunner([
      { argv: kubectl('delete', 'namespace', NS, '--ignore-not-found', '--timeout=300s') },
    ]);
    await provider(runner).deleteRunObjects(NS, []);
    expect(runner.argvs).toHaveLength(1);
  });

  it('resourceOf names core-group kinds without a group', () => {
    expect(resourceOf({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' } })).toBe(
      'persistentvolume/pv1',
    );
  });
});

describe('existing cluster: check() before anything runs', () => {
  const getContexts = () => ({
    argv: ['kubectl', '--kubeconfig', kubeconfig, 'config', 'get-contexts', '-o', 'name'],
    stdout: fixture('kubectl-config-get-contexts-o-name.stdout.txt'),
  });

  it('passes for a context the kubeconfig has (one read, nothing else)', async () => {
    const runner = new ScriptedRunner([getContexts()]);
    await provider(runner).check();
    expect(runner.argvs).toHaveLength(1);
  });

  it('refuses a context the kubeconfig lacks, naming the field and listing the ones it has', async () => {
    const runner = new ScriptedRunner([getContexts()]);
    const error = await provider(runner, 'prod')
      .check()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe('context');
    expect((error as Error).message).toContain('kind-gateway-e2e, staging');
  });

  it('refuses a kubeconfig that does not exist, without running kubectl', async () => {
    const runner = new ScriptedRunner([]);
    const error = await createExistingClusterProvider({
      kubeconfigPath: join(dir, 'missing'),
      context: 'staging',
      registry: 'registry.example.com:5000/e2e',
      runner,
    })
      .check()
      .catch((e: unknown) => e);
    expect((error as ConfigError).issues[0]!.path).toBe('kubeconfigPath');
    expect(runner.argvs).toEqual([]);
  });
});
