import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  CancelledError,
  CommandError,
  ConfigError,
  type LogLine,
  RunLedger,
  ToolNotFoundError,
} from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createKindCluster, KindCreateError } from './create-kind-cluster.js';
import { DEFAULT_KIND_NODE_IMAGE } from './kind-config-schema.js';
import { fixture, kindWritesKubeconfig, podmanEnv, scratchDir } from './testing-internal/fixtures.js';

const NAME = 'gateway-e2e';

let dir: string;
let cleanup: () => Promise<void>;
let kubeconfigPath: string;

beforeEach(async () => {
  ({ dir, cleanup } = await scratchDir());
  kubeconfigPath = join(dir, 'kubeconfig');
});
afterEach(() => cleanup());

const noClusters = {
  argv: ['kind', 'get', 'clusters'],
  env: podmanEnv,
  stderr: fixture('kind-get-clusters.none.stderr.txt'),
};
const existingClusters = {
  argv: ['kind', 'get', 'clusters'],
  env: podmanEnv,
  stdout: `${NAME}\n`,
  stderr: fixture('kind-get-clusters.two.stderr.txt'),
};
const isCreate = (argv: readonly string[]) =>
  argv[0] === 'kind' && argv[1] === 'create' && argv[2] === 'cluster';

function createArgv(waitSeconds = 300): unknown[] {
  return [
    'kind',
    'create',
    'cluster',
    '--name',
    NAME,
    '--config',
    expect.stringMatching(new RegExp(`/kind-${NAME}-[^/]+/kind-config\\.yaml$`)),
    '--kubeconfig',
    kubeconfigPath,
    '--wait',
    `${waitSeconds}s`,
  ];
}

/** A clock whose sleeps return at once and are remembered (the backoff schedule is behaviour). */
function fakeClock() {
  const sleeps: number[] = [];
  return { sleeps, clock: { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) } };
}

function modeOf(path: string): Promise<number> {
  return stat(path).then((s) => s.mode & 0o777);
}

describe('createKindCluster', () => {
  it('runs `kind get clusters` then `kind create cluster` with exact flags, podman env, and a 0600 kubeconfig', async () => {
    let renderedConfig = '';
    const runner = new ScriptedRunner([
      noClusters,
      {
        match: isCreate,
        env: podmanEnv,
        respond: ({ argv }) => {
          renderedConfig = readFileSync(argv[argv.indexOf('--config') + 1]!, 'utf8');
          kindWritesKubeconfig(argv);
          return {};
        },
      },
    ]);

    const info = await createKindCluster({ runner, engine: 'podman', name: NAME, kubeconfigPath });

    expect(runner.argvs).toEqual([['kind', 'get', 'clusters'], createArgv()]);
    runner.assertAllUsed();
    expect(info).toEqual({ name: NAME, kubeconfigPath, reused: false, attempts: 1 });
    expect(await modeOf(kubeconfigPath)).toBe(0o600);
    expect(parseYaml(renderedConfig)).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      nodes: [{ role: 'control-plane', image: DEFAULT_KIND_NODE_IMAGE }],
    });
    // Without a ledger the config's temp directory is removed once kind has read it.
    const configPath = runner.argvs[1]![runner.argvs[1]!.indexOf('--config') + 1]!;
    expect(existsSync(dirname(configPath))).toBe(false);
  });

  it('tells kind to use docker explicitly when the engine is docker, and passes --wait in seconds', async () => {
    const dockerEnv = { KIND_EXPERIMENTAL_PROVIDER: 'docker' };
    const runner = new ScriptedRunner([
      { argv: ['kind', 'get', 'clusters'], env: dockerEnv },
      {
        match: isCreate,
        env: dockerEnv,
        respond: ({ argv }) => {
          kindWritesKubeconfig(argv);
          return {};
        },
      },
    ]);
    await createKindCluster({ runner, engine: 'docker', name: NAME, kubeconfigPath, waitMs: 90_500 });
    expect(runner.argvs[1]).toEqual(createArgv(91));
    runner.assertAllUsed();
  });

  it('records the cluster in the ledger before creating it; the ledger cleanup deletes it with its kubeconfig and checks it is gone', async () => {
    const ledger = new RunLedger();
    const runner = new ScriptedRunner([
      noClusters,
      {
        match: isCreate,
        respond: ({ argv }) => {
          // Recorded before kind runs, so an interrupted creation is still cleaned up.
          expect(ledger.entries.map((e) => e.kind)).toEqual(['temp-dir', 'cluster']);
          kindWritesKubeconfig(argv);
          return {};
        },
      },
      // Cleanup: still there, delete it, then gone.
      existingClusters,
      { argv: ['kind', 'delete', 'cluster', '--name', NAME, '--kubeconfig', kubeconfigPath], env: podmanEnv },
      noClusters,
    ]);

    await createKindCluster({ runner, engine: 'podman', name: NAME, kubeconfigPath, ledger });
    const configPath = runner.argvs[1]![runner.argvs[1]!.indexOf('--config') + 1]!;
    expect(configPath.startsWith(ledger.entries[0]!.name)).toBe(true);
    expect(ledger.entries[1]).toMatchObject({ kind: 'cluster', name: NAME });

    const report = await ledger.cleanup();
    expect(report.failed).toEqual([]);
    runner.assertAllUsed();
    expect(existsSync(configPath)).toBe(false);
  });

  it('leaves a failed creation in the ledger: cleanup deletes it, or keeps it when clusters are kept', async () => {
    const failing = { match: isCreate, exitCode: 1, stderr: 'ERROR: failed to create cluster: boom' };
    const deletion = { argv: ['kind', 'delete', 'cluster', '--name', NAME, '--kubeconfig', kubeconfigPath] };

    const runner = new ScriptedRunner([noClusters, failing, deletion]);
    const ledger = new RunLedger();
    await expect(
      createKindCluster({ runner, engine: 'podman', name: NAME, kubeconfigPath, ledger }),
    ).rejects.toThrow(KindCreateError);
    await ledger.cleanup();
    runner.assertAllUsed();

    const keepRunner = new ScriptedRunner([noClusters, failing]);
    const keepLedger = new RunLedger();
    await expect(
      createKindCluster({
        runner: keepRunner,
        engine: 'podman',
        name: NAME,
        kubeconfigPath,
        ledger: keepLedger,
      }),
    ).rejects.toThrow(KindCreateError);
    const report = await keepLedger.cleanup({ keepKinds: ['cluster'] });
    expect(report.kept).toEqual([{ name: NAME, kind: 'cluster' }]);
    expect(keepRunner.calls).toHaveLength(2);
  });

  it('prepares /coverdata in the control-plane node with two exec calls when coverage is on', async () => {
    const runner = new ScriptedRunner([
      noClusters,
      {
        match: isCreate,
        respond: ({ argv }) => {
          kindWritesKubeconfig(argv);
          return {};
        },
      },
      { argv: ['podman', 'exec', `${NAME}-control-plane`, 'mkdir', '-p', '/coverdata'] },
      { argv: ['podman', 'exec', `${NAME}-control-plane`, 'chmod', '777', '/coverdata'] },
    ]);
    await createKindCluster({ runner, engine: 'podman', name: NAME, kubeconfigPath, coverage: true });
    expect(runner.argvs.slice(2)).toEqual([
      ['podman', 'exec', `${NAME}-control-plane`, 'mkdir', '-p', '/coverdata'],
      ['podman', 'exec', `${NAME}-control-plane`, 'chmod', '777', '/coverdata'],
    ]);
  });

  describe('when a cluster of that name exists', () => {
    it("ifExists 'fail' (the default) refuses with a ConfigError naming ifExists and creates nothing", async () => {
      const runner = new ScriptedRunner([existingClusters]);
      const error = await createKindCluster({ runner, engine: 'podman', name: NAME, kubeconfigPath }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.issues).toEqual([
        {
          path: 'ifExists',
          message: expect.stringContaining(`a kind cluster named "${NAME}" already exists`),
        },
      ]);
      expect(runner.argvs).toEqual([['kind', 'get', 'clusters']]);
    });

    it("ifExists 'reuse' writes its kubeconfig (0600) from `kind get kubeconfig` and creates nothing", async () => {
      const kubeconfig = 'apiVersion: v1\nkind: Config\ncurrent-context: kind-gateway-e2e\n';
      const runner = new ScriptedRunner([
        existingClusters,
        { argv: ['kind', 'get', 'kubeconfig', '--name', NAME], env: podmanEnv, stdout: kubeconfig },
      ]);
      const ledger = new RunLedger();
      const info = await createKindCluster({
        runner,
        engine: 'podman',
        name: NAME,
        kubeconfigPath,
        ifExists: 'reuse',
        ledger,
      });
      expect(info).toEqual({ name: NAME, kubeconfigPath, reused: true, attempts: 0 });
      expect(readFileSync(kubeconfigPath, 'utf8')).toBe(kubeconfig.trimEnd());
      expect(await modeOf(kubeconfigPath)).toBe(0o600);
      // A reused cluster is not the run's to delete.
      expect(ledger.entries.filter((e) => e.kind === 'cluster')).toEqual([]);
      runner.assertAllUsed();
    });

    it("ifExists 'recreate' deletes it (keeping the user's kubeconfig untouched) and creates it again", async () => {
      const runner = new ScriptedRunner([
        existingClusters,
        {
          argv: ['kind', 'delete', 'cluster', '--name', NAME, '--kubeconfig', kubeconfigPath],
          env: podmanEnv,
        },
        {
          match: isCreate,
          respond: ({ argv }) => {
            kindWritesKubeconfig(argv);
            return {};
          },
        },
      ]);
      const info = await createKindCluster({
        runner,
        engine: 'podman',
        name: NAME,
        kubeconfigPath,
        ifExists: 'recreate',
      });
      expect(runner.argvs.map((a) => a.slice(0, 3))).toEqual([
        ['kind', 'get', 'clusters'],
        ['kind', 'delete', 'cluster'],
        ['kind', 'create', 'cluster'],
      ]);
      expect(info.reused).toBe(false);
    });
  });

  describe('retry', () => {
    const crunFailure = (n: number) => ({
      match: isCreate,
      exitCode: 1,
      stderr: [
        `Creating cluster "${NAME}" ...`,
        ` ✗ Preparing nodes 📦`,
        `ERROR: failed to create cluster: command "podman run --name ${NAME}-control-plane" failed with error: exit status 126`,
        `Command Output: Error: OCI runtime error: crun: unknown version specified (attempt-marker-${n})`,
      ].join('\n'),
    });

    it('retries a known transient failure with doubling backoff and keeps every attempt in the log', async () => {
      const { clock, sleeps } = fakeClock();
      const lines: LogLine[] = [];
      const runner = new ScriptedRunner([
        noClusters,
        crunFailure(1),
        crunFailure(2),
        {
          match: isCreate,
          respond: ({ argv }) => {
            kindWritesKubeconfig(argv);
            return {};
          },
        },
      ]);
      const info = await createKindCluster({
        runner,
        engine: 'podman',
        name: NAME,
        kubeconfigPath,
        clock,
        log: (line) => lines.push(line),
      });
      expect(info.attempts).toBe(3);
      expect(runner.argvs.filter(isCreate)).toHaveLength(3);
      expect(sleeps).toEqual([5_000, 10_000]);
      const text = lines.map((l) => l.text).join('\n');
      expect(text).toContain('attempt-marker-1');
      expect(text).toContain('attempt-marker-2');
      expect(lines.filter((l) => l.stream === 'info').map((l) => l.text)).toEqual([
        expect.stringMatching(
          /attempt 1\/3 hit a known transient failure \(crun-unknown-version.*retrying in 5000 ms/,
        ),
        expect.stringMatching(/attempt 2\/3 .*retrying in 10000 ms/),
      ]);
      expect(await modeOf(kubeconfigPath)).toBe(0o600);
    });

    it('fails at once, with one create call, on a failure that is not a known transient one', async () => {
      const { clock, sleeps } = fakeClock();
      const runner = new ScriptedRunner([
        noClusters,
        {
          match: isCreate,
          exitCode: 1,
          stderr:
            'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "gateway-e2e"',
        },
      ]);
      const error = await createKindCluster({
        runner,
        engine: 'podman',
        name: NAME,
        kubeconfigPath,
        clock,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(KindCreateError);
      expect(error.attempts).toEqual([
        {
          attempt: 1,
          exitCode: 1,
          timedOut: false,
          output: expect.stringContaining('node(s) already exist'),
        },
      ]);
      expect(error.message).toMatch(/not a known transient one, so it was not retried/);
      expect(error.message).toContain('node(s) already exist');
      expect(runner.argvs.filter(isCreate)).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });

    it('gives up after 3 transient failures with every attempt’s output in the error', async () => {
      const { clock } = fakeClock();
      const runner = new ScriptedRunner([noClusters, crunFailure(1), crunFailure(2), crunFailure(3)]);
      const error = await createKindCluster({
        runner,
        engine: 'podman',
        name: NAME,
        kubeconfigPath,
        clock,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(KindCreateError);
      expect(error.code).toBe('KE_COMMAND');
      expect(error.attempts.map((a: { transientSignature?: string }) => a.transientSignature)).toEqual([
        'crun-unknown-version',
        'crun-unknown-version',
        'crun-unknown-version',
      ]);
      for (const n of [1, 2, 3]) expect(error.message).toContain(`attempt-marker-${n}`);
      expect(error.message).toMatch(/failed after 3 attempts/);
      expect(error.message).toContain('── attempt 2/3 (transient: crun-unknown-version) ──');
      expect(runner.argvs.filter(isCreate)).toHaveLength(3);
    });

    it('honours a smaller maxAttempts', async () => {
      const { clock } = fakeClock();
      const runner = new ScriptedRunner([noClusters, crunFailure(1)]);
      const error = await createKindCluster({
        runner,
        engine: 'podman',
        name: NAME,
        kubeconfigPath,
        clock,
        retry: { maxAttempts: 1 },
      }).catch((e) => e);
      expect(error.attempts).toHaveLength(1);
      runner.assertAllUsed();
    });

    it('stops with a CancelledError when the run is cancelled while waiting to retry', async () => {
      const controller = new AbortController();
      const clock = {
        now: () => 0,
        sleep: async (_ms: number, signal?: AbortSignal) => {
          controller.abort(new Error('SIGINT'));
          signal?.throwIfAborted();
        },
      };
      const runner = new ScriptedRunner([noClusters, crunFailure(1)]);
      const error = await createKindCluster({
        runner,
        engine: 'podman',
        name: NAME,
        kubeconfigPath,
        clock,
        signal: controller.signal,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(CancelledError);
      expect(error.message).toMatch(/cancelled while waiting to retry/);
      expect(runner.argvs.filter(isCreate)).toHaveLength(1);
    });

    it('does not retry a create that timed out, and says so', async () => {
      const { clock, sleeps } = fakeClock();
      const timedOut = new CommandError({
        argv: ['kind', 'create', 'cluster'],
        timedOut: true,
        durationMs: 900_000,
        stderrTail: [' • Starting control-plane 🕹️  ...'],
      });
      const runner = new ScriptedRunner([noClusters, { match: isCreate, error: timedOut }]);
      const error = await createKindCluster({
        runner,
        engine: 'podman',
        name: NAME,
        kubeconfigPath,
        clock,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(KindCreateError);
      expect(error.timedOut).toBe(true);
      expect(error.attempts).toEqual([
        { attempt: 1, timedOut: true, output: ' • Starting control-plane 🕹️  ...' },
      ]);
      expect(sleeps).toEqual([]);
    });

    it('does not retry a missing kind binary', async () => {
      const runner = new ScriptedRunner([
        { ...noClusters, error: new ToolNotFoundError('kind', 'Install kind: https://kind.sigs.k8s.io') },
      ]);
      await expect(
        createKindCluster({ runner, engine: 'podman', name: NAME, kubeconfigPath }),
      ).rejects.toBeInstanceOf(ToolNotFoundError);
      expect(runner.calls).toHaveLength(1);
    });
  });

  describe('bad input is refused with the field named, before any command runs', () => {
    async function refusal(options: Record<string, unknown>) {
      const runner = new ScriptedRunner([]);
      const error = await createKindCluster({
        runner,
        engine: 'podman',
        name: NAME,
        kubeconfigPath,
        ...options,
      } as Parameters<typeof createKindCluster>[0]).catch((e) => e);
      expect(runner.calls).toEqual([]);
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues.map((i) => i.path);
    }

    it('a cluster name longer than 50 characters', async () => {
      expect(await refusal({ name: 'a'.repeat(51) })).toEqual(['name']);
    });

    it('a cluster name starting with "-"', async () => {
      expect(await refusal({ name: '-gateway' })).toEqual(['name']);
    });

    it('a duplicate host port', async () => {
      const paths = await refusal({
        config: {
          nodes: [
            {
              role: 'control-plane',
              extraPortMappings: [
                { containerPort: 30080, hostPort: 8080 },
                { containerPort: 30081, hostPort: 8080 },
              ],
            },
          ],
        },
      });
      expect(paths).toEqual(['config.nodes[0].extraPortMappings[1].hostPort']);
    });

    it('a misspelt kind config field, named by its own path', async () => {
      const paths = await refusal({
        config: {
          nodes: [{ role: 'control-plane', extraPortMapping: [{ containerPort: 30080, hostPort: 8080 }] }],
        },
      });
      expect(paths).toEqual(['config.nodes[0].extraPortMapping']);
    });

    it.each([-2, 70000])('host port %s', async (hostPort) => {
      const paths = await refusal({
        config: {
          nodes: [{ role: 'control-plane', extraPortMappings: [{ containerPort: 30080, hostPort }] }],
        },
      });
      expect(paths).toEqual(['config.nodes[0].extraPortMappings[0].hostPort']);
    });

    it('a kubeconfig path whose directory does not exist', async () => {
      expect(await refusal({ kubeconfigPath: join(dir, 'missing', 'kubeconfig') })).toEqual([
        'kubeconfigPath',
      ]);
    });

    it('a kubeconfig path inside a file (not a directory)', async () => {
      await writeFile(join(dir, 'plain-file'), '');
      expect(await refusal({ kubeconfigPath: join(dir, 'plain-file', 'kubeconfig') })).toEqual([
        'kubeconfigPath',
      ]);
    });

    it('a kubeconfig path that is a directory', async () => {
      await mkdir(join(dir, 'a-dir'));
      expect(await refusal({ kubeconfigPath: join(dir, 'a-dir') })).toEqual(['kubeconfigPath']);
    });

    // /proc/<pid> accepts no new files, for root too (root bypasses a chmod 0500 directory).
    it.runIf(process.platform === 'linux')(
      'a kubeconfig path in a directory that is not writable',
      async () => {
        const paths = await refusal({ kubeconfigPath: '/proc/1/kubeconfig' });
        expect(paths).toEqual(['kubeconfigPath']);
      },
    );

    it.skipIf(process.getuid?.() === 0)(
      'a kubeconfig path in a directory made read-only (non-root)',
      async () => {
        const readOnly = join(dir, 'read-only');
        await mkdir(readOnly);
        await chmod(readOnly, 0o500);
        expect(await refusal({ kubeconfigPath: join(readOnly, 'kubeconfig') })).toEqual(['kubeconfigPath']);
      },
    );

    it('an extraMounts host path that does not exist', async () => {
      const paths = await refusal({
        config: {
          nodes: [
            { role: 'control-plane', extraMounts: [{ hostPath: join(dir, 'nope'), containerPath: '/x' }] },
          ],
        },
      });
      expect(paths).toEqual(['config.nodes[0].extraMounts[0].hostPath']);
    });

    it('an engine kind cannot drive', async () => {
      expect(await refusal({ engine: 'containerd' })).toEqual(['engine']);
    });

    it('more than 3 attempts, or an unknown ifExists', async () => {
      expect(await refusal({ retry: { maxAttempts: 4 } })).toEqual(['retry.maxAttempts']);
      expect(await refusal({ ifExists: 'replace' })).toEqual(['ifExists']);
    });
  });
});
