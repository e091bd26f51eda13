import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandError, ConfigError, createCommandRunner } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createExistingClusterProvider } from './existing-cluster-provider.js';
import { scratchDir } from './testing-internal/fixtures.js';

// Two contexts; "local" points at a port nothing listens on, so `cluster-info` fails at once.
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://127.0.0.1:1
    insecure-skip-tls-verify: true
  name: local
- cluster:
    server: https://10.20.30.40:6443
  name: staging
contexts:
- context: {cluster: local, user: local-admin, namespace: e2e}
  name: local
- context: {cluster: staging, user: staging-admin}
  name: staging
current-context: staging
users:
- name: local-admin
  user: {token: local-token}
- name: staging-admin
  user: {token: staging-token}
`;

describeWithBinaries(['kubectl'], { kubectl: 'kubernetes-client' }, ({ paths }) => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let source: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await scratchDir());
    source = join(dir, 'source.kubeconfig');
    await writeFile(source, KUBECONFIG);
  });
  afterEach(() => cleanup());

  const provider = (context: string) =>
    createExistingClusterProvider({
      kubeconfigPath: source,
      context,
      registry: 'registry.example.com/e2e',
      runner: createCommandRunner({ defaultTimeoutMs: 30_000 }),
      kubectlBinary: paths.kubectl!,
    });

  it('kubeconfig() writes only the chosen context, flattened, with mode 0600', async () => {
    const target = join(dir, 'run.kubeconfig');
    await provider('local').kubeconfig('gateway-e2e', target);
    const written = parseYaml(await readFile(target, 'utf8'));
    expect(written['current-context']).toBe('local');
    expect(written.contexts).toEqual([
      { name: 'local', context: { cluster: 'local', user: 'local-admin', namespace: 'e2e' } },
    ]);
    expect(written.clusters.map((c: { name: string }) => c.name)).toEqual(['local']);
    expect(written.users).toEqual([{ name: 'local-admin', user: { token: 'local-token' } }]);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    // The user's kubeconfig is read, never changed.
    expect(await readFile(source, 'utf8')).toBe(KUBECONFIG);
  });

  it('create() refuses a context that real kubectl does not list', async () => {
    const error = await provider('prod')
      .create({ name: 'x', kubeconfigPath: join(dir, 'k') })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues[0].message).toContain('it has: local, staging');
  });

  it('create() reports an API server that does not answer, with kubectl’s error', async () => {
    const error = await provider('local')
      .create({ name: 'x', kubeconfigPath: join(dir, 'k') })
      .catch((e) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error.message).toMatch(/the API server of context "local" did not answer/);
    expect(error.message).toMatch(/127\.0\.0\.1:1|connection refused/i);
  });
});
