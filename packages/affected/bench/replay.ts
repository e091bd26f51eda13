/**
 * `pnpm replay:affected` and `pnpm bench:affected` — replay real history through `affected`.
 *
 * KUBERNAUT_CHECKOUT=/path/to/kubernaut (a clone; only read: git log, ls-tree, cat-file, diff) replays its last
 * REPLAY_COMMITS (50) first-parent commits — one per merged pull request — each against its own tree, with the
 * suites this repository's kubernaut-e2e.config.ts declares. Without it, a synthetic history (a small Go module in a
 * temp git repository, the test's) is replayed instead, and the output says so.
 *
 * Prints, per commit, the suites its change selects and why. With `--times` (bench:affected), also the predicted CI
 * time per commit three ways — every suite on one machine, the affected suites on one machine, the affected suites
 * over 4 shards (longest first) — and a summary with medians. Setup times are predictions of the simulated
 * toolchain (as `kubernaut-e2e plan` gives them); test times come from KUBERNAUT_TEST_TIMES (a JSON file, suite →
 * seconds) when set, else count as 0. Asserts nothing.
 *
 * `--probe <path>…` (replay:affected only) asks instead what a change to each path would select at the newest commit:
 * a file, or a directory (its first non-test Go file is taken as the change).
 */
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  analyzeAtCommit,
  assignShards,
  formatMs,
  makespanOf,
  predictSetupTimes,
  type ReplayedCommit,
  readTestTimes,
  replayHistory,
  type SuiteCost,
} from '@kubernaut-e2e/affected';
import { createSyntheticHistory } from '@kubernaut-e2e/affected/testing';
import { createCommandRunner } from '@kubernaut-e2e/core';
import { type LoadedConfig, loadConfigFile, serviceOptions } from '@kubernaut-e2e/setup';

const SHARDS = 4;
const here = dirname(fileURLToPath(import.meta.url));
const withTimes = process.argv.includes('--times');
const verbose = process.argv.includes('--verbose');
const commits = Number(process.env.REPLAY_COMMITS ?? 50);
if (!Number.isInteger(commits) || commits < 1) {
  console.error(`REPLAY_COMMITS must be a positive whole number, got "${process.env.REPLAY_COMMITS}"`);
  process.exit(2);
}

const probeAt = process.argv.indexOf('--probe');
const runner = createCommandRunner();
const checkout = process.env.KUBERNAUT_CHECKOUT;
let config: LoadedConfig;
let root: string;
let cleanup = () => {};
if (checkout) {
  root = resolve(checkout);
  config = await loadConfigFile(join(here, '../../../kubernaut-e2e.config.ts'));
  if (probeAt < 0)
    console.log(
      `Replaying the last ${commits} first-parent commits of ${root} with the ${config.services.length} suites of kubernaut-e2e.config.ts`,
    );
} else {
  const synthetic = await createSyntheticHistory(runner);
  root = synthetic.root;
  config = { services: synthetic.services, defaults: {}, overrides: {} };
  cleanup = () => rmSync(synthetic.root, { recursive: true, force: true });
  console.log(
    'KUBERNAUT_CHECKOUT is not set: replaying the synthetic history of the test (a small Go module in a temp git repository).\n' +
      'Set KUBERNAUT_CHECKOUT=/path/to/a/kubernaut/clone to replay real commits.',
  );
}

const { services } = config;
try {
  if (probeAt >= 0) {
    await probe(process.argv.slice(probeAt + 1));
    process.exit(0);
  }
  let costs: Map<string, SuiteCost> | undefined;
  if (withTimes) {
    const setup = await predictSetupTimes(services, (s) =>
      serviceOptions(config, s.name, { projectRoot: root, env: {} }),
    );
    const timesFile = process.env.KUBERNAUT_TEST_TIMES;
    const tests = timesFile
      ? await readTestTimes(
          timesFile,
          services.map((s) => s.name),
          'KUBERNAUT_TEST_TIMES',
        )
      : new Map<string, number>();
    costs = new Map(
      services.map((s) => [
        s.name,
        { suite: s.name, setupMs: setup.get(s.name)!, testMs: tests.get(s.name) ?? 0 },
      ]),
    );
    console.log(
      `Predicted setup per suite (simulated toolchain)${timesFile ? ` + recorded test time (${timesFile})` : '; no test times (set KUBERNAUT_TEST_TIMES=<json file> to add them)'}:`,
    );
    console.log(
      `  ${[...costs.values()].map((c) => `${c.suite} ${formatMs(c.setupMs + c.testMs)}`).join(', ')}`,
    );
  }
  const rows: { replayed: ReplayedCommit; all: number; one: number; sharded: number }[] = [];
  console.log('');
  for await (const replayed of replayHistory({ runner, checkout: root, suites: services, commits })) {
    const selected = replayed.analysis.suites.filter((s) => s.affected);
    const header = `${replayed.commit.slice(0, 9)} ${replayed.subject.slice(0, 70)}`;
    console.log(
      `${header}\n  ${replayed.changedFiles.length} files → ${selected.length}/${services.length} suites${selected.length > 0 ? `: ${selected.map((s) => s.name).join(' ')}` : ''}`,
    );
    const reasons = new Map<string, string[]>();
    for (const suite of selected) {
      const key = `${suite.reason!.file ?? '(analysis)'}: ${suite.reason!.why}`;
      reasons.set(key, [...(reasons.get(key) ?? []), suite.name]);
    }
    for (const [why, names] of reasons)
      console.log(
        `    ${names.length === services.length ? 'all' : names.join(' ')} ← ${verbose ? why : why.slice(0, 220)}`,
      );
    if (costs) {
      const cost = (names: readonly string[]) =>
        names.reduce((sum, n) => sum + costs.get(n)!.setupMs + costs.get(n)!.testMs, 0);
      const all = cost(services.map((s) => s.name));
      const one = cost(selected.map((s) => s.name));
      const sharded = makespanOf(
        assignShards(
          selected.map((s) => costs.get(s.name)!),
          SHARDS,
        ),
      );
      rows.push({ replayed, all, one, sharded });
      console.log(
        `  predicted CI: all suites, one machine ${formatMs(all)} | affected, one machine ${formatMs(one)} | affected, ${SHARDS} shards ${formatMs(sharded)}`,
      );
    } else rows.push({ replayed, all: 0, one: 0, sharded: 0 });
  }
  summarize(rows, services.length);
} finally {
  cleanup();
}

/** What a change to each path (a file, or a directory's first non-test Go file) selects at the newest commit. */
async function probe(paths: readonly string[]): Promise<void> {
  const at = await analyzeAtCommit({ runner, checkout: root, suites: services });
  console.log(
    `What a change to each path selects at ${at.commit.slice(0, 9)} of ${root} (${services.length} suites):`,
  );
  for (const path of paths) {
    const file =
      at.files.find((f) => f === path) ??
      at.files.find(
        (f) =>
          f.startsWith(`${path}/`) &&
          !f.slice(path.length + 1).includes('/') &&
          f.endsWith('.go') &&
          !f.endsWith('_test.go'),
      );
    if (file === undefined) {
      console.log(`  ${path}: not a file of the tree, nor a directory with a Go file`);
      continue;
    }
    const selected = (await at.analyze([file])).suites.filter((s) => s.affected);
    const names =
      selected.length === services.length
        ? `all ${services.length}`
        : selected.map((s) => s.name).join(' ') || '(none)';
    console.log(`  ${file} → ${names}`);
    if (verbose) for (const s of selected) console.log(`      ${s.name} ← ${s.reason!.why}`);
  }
}

function summarize(
  rows: { replayed: ReplayedCommit; all: number; one: number; sharded: number }[],
  total: number,
): void {
  const counts = rows.map((r) => r.replayed.analysis.suites.filter((s) => s.affected).length);
  const bucket = (label: string, test: (n: number) => boolean) => `${label} ${counts.filter(test).length}`;
  console.log(`\nSummary over ${rows.length} commits (${total} suites):`);
  // What the files `affected` cannot place (charts, scripts, workflows: every suite, conservatively) cost.
  const placedOnly = rows.map(({ replayed }) => {
    const reached = new Set(replayed.analysis.files.filter((f) => !f.unplaced).flatMap((f) => f.suites));
    for (const s of replayed.analysis.suites)
      if (s.affected && s.reason?.file === undefined) reached.add(s.name);
    return reached.size;
  });
  console.log(
    `  commits selecting ${[
      bucket('no suite:', (n) => n === 0),
      bucket('1 suite:', (n) => n === 1),
      bucket(`2–${total - 1} suites:`, (n) => n > 1 && n < total),
      bucket('all suites:', (n) => n === total),
    ].join(', ')}`,
  );
  console.log(
    `  suites selected per commit: median ${median(counts)}, mean ${(counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length)).toFixed(1)}`,
  );
  const widened = counts.filter((n, i) => n > placedOnly[i]!).length;
  console.log(
    `  commits where a changed file no suite declares (not Go, documentation or tooling: a chart, a script, a CI workflow) selected more suites than the Go graph and the declarations would: ${widened}; without those files, ${placedOnly.filter((n) => n === total).length} commits would select all suites, median ${median(placedOnly)}`,
  );
  if (rows.some((r) => r.all > 0)) {
    const all = median(rows.map((r) => r.all));
    const one = median(rows.map((r) => r.one));
    const sharded = median(rows.map((r) => r.sharded));
    const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0);
    console.log('  predicted CI time per commit (median):');
    console.log(`    all suites, one machine        ${formatMs(all).padStart(8)}`);
    console.log(
      `    affected suites, one machine   ${formatMs(one).padStart(8)}  (${ratio(all, one)} faster)`,
    );
    console.log(
      `    affected suites, ${SHARDS} shards     ${formatMs(sharded).padStart(8)}  (${ratio(all, sharded)} faster)`,
    );
    console.log(`  predicted CI time over all ${rows.length} commits (sum of each commit's wall time):`);
    console.log(`    all suites, one machine        ${formatMs(sum((r) => r.all)).padStart(8)}`);
    console.log(
      `    affected suites, one machine   ${formatMs(sum((r) => r.one)).padStart(8)}  (${ratio(
        sum((r) => r.all),
        sum((r) => r.one),
      )} less)`,
    );
    console.log(
      `    affected suites, ${SHARDS} shards     ${formatMs(sum((r) => r.sharded)).padStart(8)}  (${ratio(
        sum((r) => r.all),
        sum((r) => r.sharded),
      )} less)`,
    );
  }
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function ratio(before: number, after: number): string {
  return after === 0 ? '∞×' : `${(before / after).toFixed(2)}×`;
}
