import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';
import { BIN, runBin, WORKSPACE_CONFIG } from './testing-internal/run-bin.js';

describe('--cluster existing:<context> (parsing)', () => {
  it('takes a context, with --kubeconfig and a registry prefix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-kc-'));
    try {
      await writeFile(join(dir, 'config'), 'apiVersion: v1\n');
      const args = parseCliArgs(
        [
          'up',
          'gateway',
          '--cluster',
          'existing:ci-shared',
          '--kubeconfig',
          join(dir, 'config'),
          '--registry',
          'registry.example.com:5000/e2e',
        ],
        {},
      );
      expect(args.cluster).toEqual({ existing: { context: 'ci-shared', kubeconfig: join(dir, 'config') } });
      expect(args.registry).toEqual({ url: 'registry.example.com:5000/e2e' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--cluster', 'existing:'], '--cluster', 'needs a context'],
    [['--cluster', 'kind:ci'], '--cluster', 'existing:<context>'],
    [['--cluster', 'existing:ci', '--registry', 'local'], '--registry', "kind's local registry"],
    [['--kubeconfig', '/tmp/x'], '--kubeconfig', 'only with --cluster'],
    [['--cluster', 'existing:ci', '--kubeconfig', '/no/such/kubeconfig'], '--kubeconfig', 'does not exist'],
  ])('refuses %j as bad input naming %s', (flags, path, text) => {
    const error = (() => {
      try {
        return parseCliArgs(['up', 'gateway', ...flags], {});
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toContainEqual({ path, message: expect.stringContaining(text) });
  });
});

// The real binary: bad input for a shared cluster is exit 2 with the field named, and nothing runs. The tools are
// shims that log every call: only version probes and the context read may happen.
describe('bad input for a shared cluster through the real binary: exit 2, the field named, nothing run', () => {
  let dir: string;
  let shims: string;
  let kubeconfig: string;

  beforeAll(async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` (pnpm test does) first`);
    dir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-shared-bad-'));
    shims = join(dir, 'bin');
    await import('node:fs/promises').then((fs) => fs.mkdir(shims));
    kubeconfig = join(dir, 'ci.kubeconfig');
    await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\n');
    const log = join(dir, 'calls.log');
    const shim = (body: string) => `#!/bin/sh\necho "$(basename "$0") $*" >> "${log}"\n${body}\n`;
    await writeFile(
      join(shims, 'podman'),
      shim(
        '[ "$1" = --version ] && echo "podman version 4.3.1" && exit 0\n[ "$1" = images ] && echo "[]" && exit 0\nexit 1',
      ),
    );
    await writeFile(
      join(shims, 'kubectl'),
      shim(
        [
          'if [ "$1" = version ]; then echo \'{"clientVersion":{"gitVersion":"v1.32.4"}}\'; exit 0; fi',
          'if [ "$3 $4 $5 $6" = "config get-contexts -o name" ]; then printf "staging\\nkind-gateway-e2e\\n"; exit 0; fi',
          'exit 1',
        ].join('\n'),
      ),
    );
    for (const tool of ['podman', 'kubectl']) await chmod(join(shims, tool), 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // Each run starts with an empty call log.
  const run = async (args: string[]) =>
    rm(join(dir, 'calls.log'), { force: true }).then(() =>
      runBin([...args, '--config', WORKSPACE_CONFIG], {
        cwd: dir,
        env: {
          PATH: `${shims}:/usr/bin:/bin`,
          HOME: dir,
          KUBERNAUT_E2E_STATE_DIR: join(dir, 'state'),
          CI: 'true',
        },
      }),
    );
  const calls = async () =>
    existsSync(join(dir, 'calls.log'))
      ? (await readFile(join(dir, 'calls.log'), 'utf8')).trim().split('\n')
      : [];

  it.each([
    ['a registry that is not host:port[/prefix]', ['--registry', 'registry.example.com/e2e'], '--registry'],
    [
      'existing: without a context',
      ['--registry', 'localhost:5000/e2e', '--cluster', 'existing:'],
      '--cluster',
    ],
    ["kind's local registry", ['--registry', 'local'], '--registry'],
    ['no registry at all', ['--runtime', 'podman'], 'registry'],
    [
      'an existing cluster on the simulated runtime',
      ['--registry', 'localhost:5000/e2e', '--runtime', 'sim'],
      'cluster',
    ],
  ])('%s', async (_, flags, field) => {
    const result = await run(['up', 'gateway', '--cluster', 'existing:ci', ...flags]);
    expect(result.stderr).toContain(`→ at ${field}\n`);
    expect(result.stderr).toContain('Nothing was run.');
    expect(result.code).toBe(2);
    expect(await calls()).toEqual([]);
  });

  it('a context the kubeconfig lacks: only the version probes and the context read ran', async () => {
    const result = await run([
      'up',
      'gateway',
      '--cluster',
      'existing:prod',
      '--kubeconfig',
      kubeconfig,
      '--registry',
      'localhost:5000/e2e',
      '--runtime',
      'podman',
    ]);
    expect(result.stderr).toContain('→ at cluster.existing.context');
    expect(result.stderr).toContain('context "prod" is not in');
    expect(result.stderr).toContain('staging, kind-gateway-e2e');
    expect(result.code).toBe(2);
    const ran = await calls();
    expect(ran.filter((c) => !/^(podman --version|kubectl version)/.test(c))).toEqual([
      `kubectl --kubeconfig ${kubeconfig} config get-contexts -o name`,
    ]);
    // No kubeconfig was written for the run.
    expect(
      existsSync(join(dir, '.kube', 'kubernaut-e2e'))
        ? await readdir(join(dir, '.kube', 'kubernaut-e2e'))
        : [],
    ).toEqual([]);
  });

  it('plan shows the graph for a shared cluster (pushes need only their builds), touching nothing', async () => {
    const result = await run([
      'plan',
      'gateway',
      '--cluster',
      'existing:ci',
      '--registry',
      'localhost:5000/e2e',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('existing cluster (context ci): nothing is created');
    expect(result.stdout).toMatch(/load:gateway\s+← build:gateway\n/);
    expect(await calls()).toEqual([]);
  });

  it('down never deletes an existing cluster; it says how to find what killed runs left', async () => {
    const result = await run(['down', 'gateway', '--cluster', 'existing:ci', '--runtime', 'podman']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The existing cluster (context ci) is never deleted by kubernaut-e2e');
    expect(result.stdout).toContain(
      'kubectl --context ci get namespaces -l io.kubernaut-e2e.service=gateway',
    );
    expect((await calls()).filter((c) => c.startsWith('kubectl') || c.startsWith('kind'))).toEqual([]);
  });
});
