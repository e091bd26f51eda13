import { readFileSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type LogLine, RunLedger } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createKindProvider } from './kind-provider.js';
import { fixture, kindWritesKubeconfig, podmanEnv, scratchDir } from './testing-internal/fixtures.js';

const NAME = 'datastorage-e2e';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await scratchDir());
});
afterEach(() => cleanup());

describe('createKindProvider', () => {
  it('exists() parses `kind get clusters`', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['kind', 'get', 'clusters'],
        env: podmanEnv,
        stdout: fixture('kind-get-clusters.two.stdout.txt'),
        stderr: fixture('kind-get-clusters.two.stderr.txt'),
        times: 2,
      },
    ]);
    const provider = createKindProvider({ runner, engine: 'podman' });
    expect(await provider.exists(NAME)).toBe(true);
    expect(await provider.exists('notification-e2e')).toBe(false);
    runner.assertAllUsed();
  });

  it('exists() is false when kind reports "No kind clusters found."', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['kind', 'get', 'clusters'],
        env: podmanEnv,
        stderr: fixture('kind-get-clusters.none.stderr.txt'),
      },
    ]);
    expect(await createKindProvider({ runner, engine: 'podman' }).exists(NAME)).toBe(false);
  });

  it('delete() runs `kind delete cluster --name`', async () => {
    const runner = new ScriptedRunner([
      { argv: ['kind', 'delete', 'cluster', '--name', NAME], env: podmanEnv },
    ]);
    await createKindProvider({ runner, engine: 'podman' }).delete(NAME);
    runner.assertAllUsed();
  });

  it('delete() of a cluster another process created passes the kubeconfig the caller names (`down`)', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [
          'kind',
          'delete',
          'cluster',
          '--name',
          NAME,
          '--kubeconfig',
          '/home/u/.kube/kubernaut-e2e/x.kubeconfig',
        ],
        env: podmanEnv,
      },
    ]);
    await createKindProvider({ runner, engine: 'podman' }).delete(NAME, undefined, {
      kubeconfigPath: '/home/u/.kube/kubernaut-e2e/x.kubeconfig',
    });
    runner.assertAllUsed();
  });

  it('kubeconfig() writes `kind get kubeconfig --name` output with mode 0600 and returns the path', async () => {
    const kubeconfig = 'apiVersion: v1\nclusters: []\nkind: Config\n';
    const runner = new ScriptedRunner([
      { argv: ['kind', 'get', 'kubeconfig', '--name', NAME], env: podmanEnv, stdout: kubeconfig },
    ]);
    const target = join(dir, 'kubeconfig');
    // An older file with a wider mode must end up 0600 too.
    await writeFile(target, 'stale', { mode: 0o644 });
    const written = await createKindProvider({ runner, engine: 'podman' }).kubeconfig(NAME, target);
    expect(written).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe(kubeconfig.trimEnd());
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('loadArchive() runs `kind load image-archive <archive> --name`, refusing a missing archive first', async () => {
    const archive = join(dir, 'images.tar');
    await writeFile(archive, 'tar');
    const runner = new ScriptedRunner([
      { argv: ['kind', 'load', 'image-archive', archive, '--name', NAME], env: podmanEnv },
    ]);
    const provider = createKindProvider({ runner, engine: 'podman' });
    await provider.loadArchive(NAME, archive);
    runner.assertAllUsed();

    const error = await provider.loadArchive(NAME, join(dir, 'missing.tar')).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues[0].path).toBe('archivePath');
    expect(runner.calls).toHaveLength(1);
  });

  it('listNodeImages() runs crictl in the control-plane node and parses its JSON', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['docker', 'exec', `${NAME}-control-plane`, 'crictl', 'images', '-o', 'json'],
        stdout: fixture('crictl-images.json'),
      },
    ]);
    const images = await createKindProvider({ runner, engine: 'docker' }).listNodeImages(NAME);
    expect(images).toContain('localhost/kubernaut/datastorage:datastorage-e2e-1a2b3c4d5e6f');
    expect(images).toContain('registry.k8s.io/pause:3.10');
    expect(images).toHaveLength(7);
  });

  it('exportLogs() runs `kind export logs <absolute dir> --name`', async () => {
    const runner = new ScriptedRunner([
      { argv: ['kind', 'export', 'logs', join(dir, 'logs'), '--name', NAME], env: podmanEnv },
    ]);
    await createKindProvider({ runner, engine: 'podman' }).exportLogs(NAME, join(dir, 'logs'));
    runner.assertAllUsed();
  });

  it('create() validates the request config, records the cluster, and streams to the step log', async () => {
    let rendered = '';
    const ledger = new RunLedger();
    const lines: LogLine[] = [];
    const runner = new ScriptedRunner([
      {
        argv: ['kind', 'get', 'clusters'],
        env: podmanEnv,
        stderr: fixture('kind-get-clusters.none.stderr.txt'),
      },
      {
        match: (argv) => argv[1] === 'create',
        env: podmanEnv,
        stdout: `Creating cluster "${NAME}" ...`,
        respond: ({ argv }) => {
          rendered = readFileSync(argv[argv.indexOf('--config') + 1]!, 'utf8');
          kindWritesKubeconfig(argv);
          return {};
        },
      },
      { argv: ['podman', 'exec', `${NAME}-control-plane`, 'mkdir', '-p', '/coverdata'] },
      { argv: ['podman', 'exec', `${NAME}-control-plane`, 'chmod', '777', '/coverdata'] },
    ]);
    const provider = createKindProvider({ runner, engine: 'podman', ledger, coverage: true });
    const kubeconfigPath = join(dir, 'kubeconfig');
    const info = await provider.create(
      {
        name: NAME,
        kubeconfigPath,
        waitMs: 120_000,
        config: {
          nodes: [{ role: 'control-plane', extraPortMappings: [{ containerPort: 30081, hostPort: 18081 }] }],
        },
      },
      { log: (l) => lines.push(l), logSource: 'create-cluster' },
    );
    expect(info).toEqual({ name: NAME, kubeconfigPath, reused: false });
    expect(runner.argvs[1]).toContain('120s');
    expect(parseYaml(rendered).nodes[0].extraPortMappings).toEqual([
      { containerPort: 30081, hostPort: 18081 },
    ]);
    expect(ledger.entries.map((e) => e.kind)).toEqual(['temp-dir', 'cluster']);
    await ledger.cleanup({ keepKinds: ['cluster'] });
    expect(lines).toContainEqual(
      expect.objectContaining({ source: 'create-cluster#1', text: `Creating cluster "${NAME}" ...` }),
    );
    runner.assertAllUsed();
  });

  it("delete() after create() passes the kubeconfig kind wrote, so the user's own kubeconfig is left alone", async () => {
    const kubeconfigPath = join(dir, 'kubeconfig');
    const runner = new ScriptedRunner([
      {
        argv: ['kind', 'get', 'clusters'],
        env: podmanEnv,
        stderr: fixture('kind-get-clusters.none.stderr.txt'),
      },
      {
        match: (argv) => argv[1] === 'create',
        env: podmanEnv,
        respond: ({ argv }) => {
          kindWritesKubeconfig(argv);
          return {};
        },
      },
      {
        argv: ['kind', 'delete', 'cluster', '--name', NAME, '--kubeconfig', kubeconfigPath],
        env: podmanEnv,
      },
      // Forgotten after the delete: a later delete of that name knows no kubeconfig.
      { argv: ['kind', 'delete', 'cluster', '--name', NAME], env: podmanEnv },
    ]);
    const provider = createKindProvider({ runner, engine: 'podman' });
    await provider.create({ name: NAME, kubeconfigPath });
    await provider.delete(NAME);
    await provider.delete(NAME);
    runner.assertAllUsed();
  });

  it('create() refuses a bad request config before any command', async () => {
    const runner = new ScriptedRunner([]);
    const error = await createKindProvider({ runner, engine: 'podman' })
      .create({ name: NAME, kubeconfigPath: join(dir, 'k'), config: { nodes: [{ role: 'master' }] } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(['config.nodes[0].role']);
    expect(runner.calls).toEqual([]);
  });

  it('refuses an engine kind cannot drive at construction', () => {
    expect(() =>
      createKindProvider({ runner: new ScriptedRunner([]), engine: 'nerdctl' as 'podman' }),
    ).toThrow(/engine must be 'podman' or 'docker'/);
  });

  it('refuses a bad cluster name in every operation before running kind', async () => {
    const runner = new ScriptedRunner([]);
    const provider = createKindProvider({ runner, engine: 'podman' });
    for (const call of [
      () => provider.exists('Bad_Name'),
      () => provider.delete('-x'),
      () => provider.listNodeImages('a'.repeat(51)),
      () => provider.exportLogs('UPPER', dir),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(ConfigError);
    }
    expect(runner.calls).toEqual([]);
  });
});
