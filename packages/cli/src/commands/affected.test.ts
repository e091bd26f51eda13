import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSyntheticHistory, type SyntheticHistory } from '@kubernaut-e2e/affected/testing';
import { createCommandRunner } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../testing-internal/run-cli.js';

/*
 * `kubernaut-e2e affected` on a real git repository (the synthetic history: three Go services over shared packages)
 * with a project config that declares its three suites. Only git runs; --shards predicts with the simulator.
 */
const dist = (pkg: string, file: string) =>
  fileURLToPath(new URL(`../../../${pkg}/dist/${file}`, import.meta.url));
const SETUP = dist('setup', 'index.js');
const TESTING = dist('affected', 'testing/index.js');

let history: SyntheticHistory;
let work: string;
let config: string;
const affected = (...args: string[]) =>
  runCli(['affected', '--config', config, ...args], {}, undefined, work);

describeWithBinaries(['git'], {}, () => {
  beforeAll(async () => {
    for (const file of [SETUP, TESTING])
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm build\` (pnpm test does) first`);
    history = await createSyntheticHistory(createCommandRunner());
    work = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-affected-cli-'));
    config = join(work, 'kubernaut-e2e.config.mjs');
    writeFileSync(
      config,
      `import { defineConfig } from ${JSON.stringify(SETUP)};
import { syntheticServices } from ${JSON.stringify(TESTING)};
export default defineConfig({ projectRoot: ${JSON.stringify(history.root)}, services: syntheticServices() });
`,
    );
  }, 60_000);
  afterAll(() => {
    if (history) rmSync(history.root, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('prints the suites the branch’s changes can break, each with the changed file that reaches it, and the others', async () => {
    // The last two commits: billing's Dockerfile, then a file of the gateway's own package.
    const run = await affected('--since', 'HEAD~2');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Affected: 2 of 3 suites');
    expect(run.stdout).toMatch(
      / {2}gateway {3}pkg\/gateway\/extra\.go: Go package pkg\/gateway, compiled into image gateway's binary .*cmd\/gateway → pkg\/gateway\n/,
    );
    expect(run.stdout).toMatch(
      / {2}billing {3}docker\/billing\.Dockerfile: the Dockerfile of image billing\n/,
    );
    expect(run.stdout).toContain('Not affected: orders');
  });

  it('--json lists the affected suites, every changed file and why, for a script to read', async () => {
    const run = await affected('--since', 'HEAD~2', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.affected).toEqual(['gateway', 'billing']);
    expect(report.changedFiles).toEqual([
      'docker/billing.Dockerfile',
      'pkg/gateway/extra.go',
      'pkg/gateway/gateway.go',
    ]);
    expect(report.files.find((f: { file: string }) => f.file === 'pkg/gateway/gateway.go').suites).toEqual([
      'gateway',
    ]);
  });

  it('--shards 2 --matrix github prints a matrix with each affected suite on exactly one machine, the plan on stderr', async () => {
    // Since HEAD~20 a Makefile changed: no suite declares it, so all three are affected.
    const run = await affected('--since', 'HEAD~20', '--shards', '2', '--matrix', 'github');
    expect(run.code).toBe(0);
    const matrix = JSON.parse(run.stdout) as { include: { shard: number; suites: string }[] };
    expect(matrix.include.map((m) => m.shard)).toEqual([1, 2]);
    const suites = matrix.include.flatMap((m) => m.suites.split(' '));
    expect(suites.sort()).toEqual(['billing', 'gateway', 'orders']);
    expect(run.stderr).toContain('Affected: 3 of 3 suites');
    expect(run.stderr).toMatch(/Shards: 2 of 2 machines used, longest first by predicted setup time/);
    // The machine with two suites runs the two shortest: LPT puts the longest alone.
    const plan = [...run.stderr.matchAll(/shard (\d) +(\d+m\d\ds|\d+s) +(.+)/g)].map(
      (m) => m[3]!.split(' ').length,
    );
    expect(plan.sort()).toEqual([1, 2]);
  });

  it('compares with main when no --since is given (no origin here), and counts uncommitted files', async () => {
    const file = join(history.root, 'pkg/orders/orders.go');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, `${before}\n// edited, not committed\n`);
    try {
      const run = await affected();
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^Changes since main \(merge base [0-9a-f]{12}\): 1 file \(0 committed, 1 not committed\)/,
      );
      expect(run.stdout).toMatch(/ {2}orders {4}pkg\/orders\/orders\.go: Go package pkg\/orders/);
      expect(run.stdout).toContain('Not affected: billing');
    } finally {
      writeFileSync(file, before);
    }
  });

  it('--matrix github with nothing changed is an empty matrix (a workflow skips the job)', async () => {
    const none = await affected('--since', 'HEAD', '--matrix', 'github');
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toEqual({ include: [] });
    expect(none.stderr).toContain('Affected: 0 of 3 suites');
  });

  it('refuses bad flags with exit 2, naming the flag and what is allowed', async () => {
    const refused = async (args: string[], path: string, message: RegExp) => {
      const run = await affected(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`→ at ${path}`);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('Nothing was run');
      expect(run.stdout).toBe('');
    };
    await refused(['--shards', '0'], '--shards', /expected a whole number of machines, 1–256, got "0"/);
    await refused(['--shards', 'two'], '--shards', /got "two"/);
    await refused(['--matrix', 'gitlab'], '--matrix', /unknown value "gitlab"; allowed: github/);
    await refused(['--since', 'main..HEAD'], '--since', /is not a ref/);
    await refused(['--since=-all'], '--since', /is not a ref/);
    await refused(['--matrix', 'github', '--json'], '--matrix', /leave out --json/);
    await refused(['--test-times', join(work, 'missing.json')], '--test-times', /does not exist/);
    await refused(['--since', 'no-such-branch'], '--since', /no commit named "no-such-branch"/);
    await refused(
      ['--project-root', join(work, 'no-such-checkout')],
      'projectRoot',
      /no-such-checkout is not a directory/,
    );
    await refused(['--project-root', work], 'projectRoot', /is not inside a git repository/);
    const up = await runCli(['up', 'orders', '--shards', '2', '--config', config], {}, undefined, work);
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(/only with `affected`\n +→ at --shards/);
  });

  it('--test-times balances by setup plus recorded test time, and refuses a suite the config does not declare', async () => {
    const times = join(work, 'times.json');
    // gateway's tests take an hour: it gets a machine of its own, the other two share the second.
    writeFileSync(times, JSON.stringify({ gateway: 3600, orders: 30, billing: 30 }));
    const run = await affected('--since', 'HEAD~20', '--shards', '2', '--test-times', times);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/longest first by predicted setup \+ recorded test time/);
    expect(run.stdout).toMatch(/shard 1 +6\dm\d\ds +gateway\n/);
    expect(run.stdout).toMatch(/shard 2 +\d+m\d\ds +(orders billing|billing orders)\n/);
    writeFileSync(times, JSON.stringify({ gateway: 60, payments: 30 }));
    const bad = await affected('--since', 'HEAD~20', '--shards', '2', '--test-times', times);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown suite "payments"; declared: gateway, orders, billing');
  });
});
