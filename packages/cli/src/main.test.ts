import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultOutputDir } from '@kubernaut-e2e/setup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, WORKSPACE_CONFIG } from './testing-internal/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-cli-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('kubernaut-e2e up (simulated toolchain)', () => {
  it('sets the gateway up, prints progress, the timeline, the endpoints, and labels times as predicted', async () => {
    const env = { XDG_STATE_HOME: join(dir, 'state') };
    const run = await runCli(
      ['up', 'gateway', '--runtime', 'sim', '--config', WORKSPACE_CONFIG],
      env,
      undefined,
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\+\s+0\.0s ▶ create cluster gateway-e2e/);
    expect(run.stderr).toMatch(/✔ ready:gateway succeeded/);
    expect(run.stdout).toContain('gateway infrastructure is ready (dag, sim)');
    for (const step of ['build:gateway', 'build:datastorage', 'cluster', 'load:gateway', 'ready:gateway']) {
      expect(run.stdout).toContain(step);
    }
    expect(run.stdout).toContain('gatewayUrl       http://localhost:8080');
    expect(run.stdout).toContain('predicted by the simulated toolchain');
    // Without --trace/--timeline the run still says where its trace is, and it is there: in the state folder, outside
    // the project (no image's build context sees it).
    const traceFile = join(defaultOutputDir('gateway', dir, env), 'trace.json');
    expect(traceFile.startsWith(join(dir, 'state', 'kubernaut-e2e', 'runs'))).toBe(true);
    expect(run.stdout).toContain(traceFile);
    expect(JSON.parse(await readFile(traceFile, 'utf8')).traceEvents.length).toBeGreaterThan(10);
  });

  it('prints machine-readable JSON with an exact, repeatable makespan', async () => {
    const up = () =>
      runCli(
        ['up', 'gateway', '--runtime', 'sim', '--json', '--config', WORKSPACE_CONFIG],
        {},
        undefined,
        dir,
      );
    const first = JSON.parse((await up()).stdout);
    const second = JSON.parse((await up()).stdout);
    expect(first.ok).toBe(true);
    expect(first.predicted).toBe(true);
    expect(first.makespanMs).toBe(second.makespanMs);
    expect(first.makespanMs).toBe(130_000);
  });

  it('writes a Chrome trace and an HTML timeline from the same run', async () => {
    const trace = join(dir, 'up.trace.json');
    const timeline = join(dir, 'up.html');
    const run = await runCli([
      'up',
      'datastorage',
      '--runtime',
      'sim',
      '--trace',
      trace,
      '--timeline',
      timeline,
    ]);
    expect(run.code).toBe(0);
    const events = JSON.parse(await readFile(trace, 'utf8')).traceEvents as { name: string; ph: string }[];
    const html = await readFile(timeline, 'utf8');
    for (const id of ['build:datastorage', 'migrate:migrations', 'ready:datastorage']) {
      expect(events.some((e) => e.ph === 'X' && e.name.includes(id))).toBe(true);
      expect(html).toContain(id);
    }
  });
});

describe('kubernaut-e2e plan and bench', () => {
  it('plan shows each step with its dependencies and a predicted timeline', async () => {
    const dag = await runCli(['plan', 'gateway', '--pattern', 'dag']);
    const standard = await runCli(['plan', 'gateway', '--pattern', 'standard', '--json']);
    expect(dag.code).toBe(0);
    expect(dag.stdout).toMatch(/load:gateway\s+← build:gateway, cluster/);
    const graph = JSON.parse(standard.stdout);
    const buildStep = graph.steps.find((s: { id: string }) => s.id === 'build:gateway');
    expect(buildStep.deps).toContain('namespace');
    expect(graph.makespanMs).toBeGreaterThan(130_000);
  });

  it('bench --json reports every pattern and scenario, and the ratios meet the targets', async () => {
    const run = await runCli(['bench', 'gateway', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const [gateway] = report.services;
    expect(gateway.rows).toHaveLength(9);
    expect(gateway.ratios.dagVsStandard).toBeLessThanOrEqual(0.75);
    expect(gateway.ratios.dagVsHybrid).toBeLessThanOrEqual(0.8);
    expect(gateway.ratios.dagVsBound).toBeLessThanOrEqual(1.03);
    expect(gateway.ratios.warmFreshVsColdStandard).toBeLessThanOrEqual(0.3);
    expect(gateway.ratios.warmReusedVsColdStandard).toBeLessThanOrEqual(0.2);
    expect(report.schedulerOverhead.steps).toBe(1000);
    // The failing scenarios: each reported no later fail-fast than at the deadline, dag no later than standard.
    const [failures] = report.failures;
    expect(new Set(failures.rows.map((r: { kind: string }) => r.kind)).size).toBe(5);
    for (const row of failures.rows) expect(row.failFastMs).toBeLessThanOrEqual(row.deadlineMs);
    const crash = (pattern: string) =>
      failures.rows.find(
        (r: { kind: string; pattern: string }) => r.kind === 'crash-at-start' && r.pattern === pattern,
      );
    expect(crash('dag').failFastMs).toBeLessThanOrEqual(crash('standard').failFastMs);
    expect(crash('dag').deadlineMs - crash('dag').failFastMs).toBeGreaterThan(120_000);
  });
});

describe('kubernaut-e2e bad input: exit 2, the flag and the allowed values named', () => {
  it.each([
    [['up', 'frontend'], 'service', 'gateway, datastorage, notification, authwebhook'],
    [['up', 'gateway', '--pattern', 'fast'], '--pattern', 'standard, hybrid, dag'],
    [['up', 'gateway', '--runtime', 'k8s'], '--runtime', 'auto, podman, docker, sim'],
    [['up', 'gateway', '--keep', 'sometimes'], '--keep', 'never, on-failure, always'],
    [['up', 'gateway', '--cluster-name=-bad'], '--cluster-name', 'lower-case letters'],
    [['up', 'gateway', `--cluster-name=${'a'.repeat(51)}`], '--cluster-name', 'at most 50'],
    [['up', 'gateway', '--trace', '/nonexistent-dir/trace.json'], '--trace', 'does not exist'],
    [['up'], 'service', 'exactly one service'],
  ])('%j', async (argv, flag, allowed) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`→ at ${flag}`);
    expect(run.stderr).toContain(allowed);
    expect(run.stderr).toContain('Nothing was run');
    expect(run.stdout).toBe('');
  });

  it('KEEP_CLUSTER with an unknown value names the variable', async () => {
    const run = await runCli(
      ['up', 'gateway', '--runtime', 'sim'],
      { KEEP_CLUSTER: 'maybe' },
      undefined,
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('→ at KEEP_CLUSTER');
  });
});

describe('kubernaut-e2e up interrupted', () => {
  it('cancels a running setup, cleans up, and exits 130', async () => {
    const controller = new AbortController();
    // Interrupted once the gateway's build is under way (what a user pressing Ctrl-C mid-build sees).
    const run = await runCli(
      ['up', 'gateway', '--runtime', 'sim', '--realtime', '100', '--config', WORKSPACE_CONFIG],
      {},
      controller.signal,
      dir,
      (text) => {
        if (/build:gateway/.test(text) && !/skipped|cancelled/.test(text))
          controller.abort(new Error('SIGINT'));
      },
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('Interrupted');
    expect(run.stderr).toMatch(/⊘ build:gateway cancelled/);
  });

  it('prints a result saying it was interrupted when asked for one (--output json)', async () => {
    const controller = new AbortController();
    const run = await runCli(
      [
        'up',
        'gateway',
        '--runtime',
        'sim',
        '--realtime',
        '100',
        '--output',
        'json',
        '--config',
        WORKSPACE_CONFIG,
      ],
      { XDG_STATE_HOME: join(dir, 'state') },
      controller.signal,
      dir,
      (text) => {
        if (/build:gateway/.test(text) && !/skipped|cancelled/.test(text))
          controller.abort(new Error('SIGINT'));
      },
    );
    expect(run.code).toBe(130);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      ok: false,
      interrupted: true,
      error: { code: 'KE_CANCELLED' },
      leftRunning: [],
    });
    expect(result.runId).toBeDefined();
  });
});
