import { copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandError, ConfigError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createExistingClusterProvider, parseContextNames } from './existing-cluster-provider.js';
import { fixture, scratchDir } from './testing-internal/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let sourceKubeconfig: string;

beforeEach(async () => {
  ({ dir, cleanup } = await scratchDir());
  sourceKubeconfig = join(dir, 'source.kubeconfig');
  await copyFile(new URL('./__fixtures__/two-context.kubeconfig.yaml', import.meta.url), sourceKubeconfig);
});
afterEach(() => cleanup());

const REGISTRY = 'registry.example.com:5000/e2e';

function provider(runner: ScriptedRunner, context = 'staging') {
  return createExistingClusterProvider({
    kubeconfigPath: sourceKubeconfig,
    context,
    registry: REGISTRY,
    runner,
  });
}

function kubectl(...args: string[]): string[] {
  return ['kubectl', '--kubeconfig', sourceKubeconfig, ...args];
}

const getContexts = () => ({
  argv: kubectl('config', 'get-contexts', '-o', 'name'),
  stdout: fixture('kubectl-config-get-contexts-o-name.stdout.txt'),
});

describe('parseContextNames (recorded `kubectl config get-contexts -o name`)', () => {
  it('reads one context per line', () => {
    expect(parseContextNames(fixture('kubectl-config-get-contexts-o-name.stdout.txt'))).toEqual([
      'kind-gateway-e2e',
      'staging',
    ]);
  });
});

describe('createExistingClusterProvider', () => {
  it('create() checks the context and the API server, then writes a one-context kubeconfig (0600); reused is true', async () => {
    const runner = new ScriptedRunner([
      getContexts(),
      {
        argv: kubectl('--context', 'staging', 'cluster-info'),
        stdout: 'Kubernetes control plane is running at https://10.20.30.40:6443',
      },
      {
        argv: kubectl('--context', 'staging', 'config', 'view', '--minify', '--flatten'),
        stdout: fixture('kubectl-config-view-minify-flatten.stdout.yaml'),
      },
    ]);
    const target = join(dir, 'run.kubeconfig');
    const info = await provider(runner).create({ name: 'gateway-e2e', kubeconfigPath: target });

    expect(info).toEqual({ name: 'gateway-e2e', kubeconfigPath: target, reused: true });
    expect(runner.argvs).toEqual([
      kubectl('config', 'get-contexts', '-o', 'name'),
      kubectl('--context', 'staging', 'cluster-info'),
      kubectl('--context', 'staging', 'config', 'view', '--minify', '--flatten'),
    ]);
    const written = parseYaml(await readFile(target, 'utf8'));
    expect(written['current-context']).toBe('staging');
    expect(written.contexts.map((c: { name: string }) => c.name)).toEqual(['staging']);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('create() refuses a context the kubeconfig does not have, listing the ones it has', async () => {
    const runner = new ScriptedRunner([getContexts()]);
    const error = await provider(runner, 'prod')
      .create({ name: 'x', kubeconfigPath: join(dir, 'k') })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([
      { path: 'context', message: expect.stringContaining('it has: kind-gateway-e2e, staging') },
    ]);
    expect(runner.calls).toHaveLength(1);
  });

  it('create() explains an unreachable API server and keeps kubectl’s own error', async () => {
    const runner = new ScriptedRunner([
      getContexts(),
      {
        argv: kubectl('--context', 'staging', 'cluster-info'),
        exitCode: 1,
        stderr:
          'E1127 17:20:01.123456 memcache.go:265] couldn\'t get current server API group list: Get "https://10.20.30.40:6443/api?timeout=32s": dial tcp 10.20.30.40:6443: i/o timeout',
      },
    ]);
    const error = await provider(runner)
      .create({ name: 'x', kubeconfigPath: join(dir, 'k') })
      .catch((e) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error.message).toMatch(/the API server of context "staging" did not answer/);
    expect(error.message).toContain('i/o timeout');
  });

  it('never creates or deletes: recreate and delete are refused without running anything', async () => {
    const runner = new ScriptedRunner([]);
    const p = provider(runner);
    const recreate = await p
      .create({ name: 'x', kubeconfigPath: join(dir, 'k'), ifExists: 'recreate' })
      .catch((e) => e);
    expect(recreate).toBeInstanceOf(ConfigError);
    expect(recreate.issues[0].path).toBe('ifExists');
    const deletion = await p.delete('gateway-e2e').catch((e) => e);
    expect(deletion).toBeInstanceOf(ConfigError);
    expect(deletion.message).toMatch(/never deleted/);
    expect(runner.calls).toEqual([]);
  });

  it('loadArchive and listNodeImages explain that images go through the registry', async () => {
    const runner = new ScriptedRunner([]);
    const p = provider(runner);
    await expect(p.loadArchive('x', '/tmp/a.tar')).rejects.toThrow(
      /push images to registry\.example\.com:5000\/e2e/,
    );
    await expect(p.listNodeImages('x')).rejects.toThrow(/registryRef/);
    expect(runner.calls).toEqual([]);
  });

  it('registryRef() swaps the registry host and keeps repository and tag', () => {
    const p = provider(new ScriptedRunner([]));
    expect(p.registryRef('localhost/kubernaut/gateway:gateway-e2e-1a2b3c4d5e6f')).toBe(
      'registry.example.com:5000/e2e/kubernaut/gateway:gateway-e2e-1a2b3c4d5e6f',
    );
    expect(p.registryRef('kubernaut/datastorage:abc')).toBe(
      'registry.example.com:5000/e2e/kubernaut/datastorage:abc',
    );
    expect(p.registryRef('quay.io/team/app:1')).toBe('registry.example.com:5000/e2e/team/app:1');
    expect(() => p.registryRef('Not A Ref')).toThrow(ConfigError);
  });

  it('exists() reports whether the context is in the kubeconfig', async () => {
    const runner = new ScriptedRunner([{ ...getContexts(), times: 2 }]);
    expect(await provider(runner).exists('any')).toBe(true);
    expect(await provider(runner, 'prod').exists('any')).toBe(false);
  });

  it('exportLogs() dumps the cluster with kubectl cluster-info dump', async () => {
    const out = join(dir, 'logs');
    const runner = new ScriptedRunner([
      {
        argv: kubectl(
          '--context',
          'staging',
          'cluster-info',
          'dump',
          '--all-namespaces',
          '--output-directory',
          out,
        ),
      },
    ]);
    await provider(runner).exportLogs('x', out);
    runner.assertAllUsed();
  });

  it('refuses bad options at construction and a missing kubeconfig before any command', async () => {
    const runner = new ScriptedRunner([]);
    expect(() =>
      createExistingClusterProvider({
        kubeconfigPath: sourceKubeconfig,
        context: 'staging',
        registry: 'https://Registry',
        runner,
      }),
    ).toThrow(ConfigError);
    const missing = createExistingClusterProvider({
      kubeconfigPath: join(dir, 'nope'),
      context: 'staging',
      registry: REGISTRY,
      runner,
    });
    const error = await missing.create({ name: 'x', kubeconfigPath: join(dir, 'k') }).catch((e) => e);
    expect(error.issues[0].path).toBe('kubeconfigPath');
    expect(runner.calls).toEqual([]);
  });
});
