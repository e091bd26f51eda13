/**
 * `pnpm bench:cli` — how long `kubernaut-e2e` takes to start, against a bare `node -e 0` measured side by side in the
 * same rounds (each round runs every case once, in a rotating order, so load on the machine hits them alike). Prints
 * the median wall time of each case, its ratio to `node -e 0`, and whether it meets the 2× target; the CPU time
 * (user + system, from /proc on Linux) is shown too, as it varies less on a busy machine. Asserts nothing: timings
 * never go into tests.
 *
 * No cache of any kind: the CLI keeps none, and the bench makes sure nothing else helps it either. Every run gets an
 * empty XDG_CACHE_HOME and no NODE_COMPILE_CACHE; after the rounds the cache directory must still be empty, and no
 * compiled copy of the TypeScript config may be left beside it.
 *
 * Options: `--runs <n>` rounds (default 15, at least 7), `--json` for machine-readable output, `--against <dir>`
 * another built checkout of this repository (e.g. the commit before a change), whose `--help` and `plan` run from its
 * own root with its own config in the same rounds: a before/after comparison measured side by side.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TARGET_RATIO = 2;
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REPO_CONFIG = join(REPO_ROOT, 'kubernaut-e2e.config.ts');

interface Case {
  readonly name: string;
  readonly cwd: string;
  readonly args: readonly string[];
  /** Held to the 2× target (the baseline is not). */
  readonly target: boolean;
}

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number | undefined;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** CPU time of this process's finished children, in ms (Linux: `cutime + cstime` of /proc/self/stat). */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // After "pid (comm) ", field 3 is index 0: cutime and cstime are fields 16 and 17, in clock ticks of 10 ms.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function runOnce(c: Case, env: NodeJS.ProcessEnv): Sample {
  const cpuBefore = childrenCpuMs();
  const start = performance.now();
  const result = spawnSync(process.execPath, [...c.args], {
    cwd: c.cwd,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wallMs = performance.now() - start;
  const cpuAfter = childrenCpuMs();
  if (result.status !== 0) {
    throw new Error(`${c.name} exited ${result.status ?? result.signal}:\n${result.stderr.toString()}`);
  }
  return {
    wallMs,
    cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}

/**
 * Anything a run left beside the config or the modules of its own it imports, under `config/` (a compiled copy would
 * be a cache in all but name).
 */
const besideConfig = () =>
  [dirname(REPO_CONFIG), join(dirname(REPO_CONFIG), 'config')].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.startsWith('.kubernaut-e2e.config') || /^\..*\.mjs$/.test(f))
      .map((f) => join(dir, f)),
  );

function main(): void {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, json: { type: 'boolean' }, against: { type: 'string' } },
  });
  const runs = Math.max(7, Number(values.runs ?? 15) || 15);
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the CLI first (pnpm bench:cli does)`);
  if (!existsSync(REPO_CONFIG)) throw new Error(`${REPO_CONFIG} is missing`);

  // An empty cache directory, and an empty working directory with no project config above it.
  const cacheHome = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-startup-bench-cache-'));
  const empty = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-startup-bench-cwd-'));
  const { NODE_COMPILE_CACHE: _, NODE_OPTIONS: __, ...inherited } = process.env;
  const env = { ...inherited, XDG_CACHE_HOME: cacheHome, CI: 'true' };
  const plan = [BIN, 'plan', 'gateway', '--runtime', 'sim'];
  const cases: Case[] = [
    { name: 'node -e 0', cwd: empty, args: ['-e', '0'], target: false },
    { name: '--help (repo root: TypeScript config)', cwd: REPO_ROOT, args: [BIN, '--help'], target: true },
    {
      name: '--help (empty dir, --config)',
      cwd: empty,
      args: [BIN, '--help', '--config', REPO_CONFIG],
      target: true,
    },
    { name: 'plan gateway --runtime sim (repo root)', cwd: REPO_ROOT, args: plan, target: true },
    {
      name: 'plan gateway --runtime sim (empty dir, --config)',
      cwd: empty,
      args: [...plan, '--config', REPO_CONFIG],
      target: true,
    },
  ];
  if (values.against !== undefined) {
    const root = resolve(values.against);
    const bin = join(root, 'packages/cli/dist/bin.js');
    if (!existsSync(bin)) throw new Error(`${bin} is missing: build that checkout first`);
    cases.push(
      { name: `--help (repo root of ${root})`, cwd: root, args: [bin, '--help'], target: true },
      {
        name: `plan gateway --runtime sim (repo root of ${root})`,
        cwd: root,
        args: [bin, 'plan', 'gateway', '--runtime', 'sim'],
        target: true,
      },
    );
  }

  try {
    const leftBefore = besideConfig();
    const samples: Sample[][] = cases.map(() => []);
    for (let round = 0; round < runs; round++) {
      // Rotate the order, so no case always runs right after the same other one.
      for (let k = 0; k < cases.length; k++) {
        const i = (k + round) % cases.length;
        samples[i]!.push(runOnce(cases[i]!, env));
      }
    }
    const cacheWritten = readdirSync(cacheHome);
    const leftBeside = besideConfig().filter((f) => !leftBefore.includes(f));
    if (cacheWritten.length > 0 || leftBeside.length > 0) {
      throw new Error(
        `a run left files behind (a cache?): ${[...cacheWritten, ...leftBeside].join(', ')}; the ratios would not be cold`,
      );
    }

    const rows = cases.map((c, i) => {
      const cpu = samples[i]!.map((s) => s.cpuMs);
      return {
        case: c.name,
        wallMs: median(samples[i]!.map((s) => s.wallMs)),
        cpuMs: cpu.every((v) => v !== undefined) ? median(cpu as number[]) : undefined,
        target: c.target,
      };
    });
    const base = rows[0]!;
    const report = rows.map((r) => ({
      ...r,
      ratio: r.wallMs / base.wallMs,
      cpuRatio: r.cpuMs !== undefined && base.cpuMs ? r.cpuMs / base.cpuMs : undefined,
      meetsTarget: r.target ? r.wallMs / base.wallMs <= TARGET_RATIO : undefined,
    }));

    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ runs, targetRatio: TARGET_RATIO, node: process.version, cache: 'none', rows: report }, null, 2)}\n`,
      );
      return;
    }
    const ms = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(0)} ms`);
    const x = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(2)}×`);
    const width = Math.max(...report.map((r) => r.case.length));
    process.stdout.write(
      `kubernaut-e2e startup with no cache, median of ${runs} interleaved rounds (Node ${process.version}); ratio = time / node -e 0, target ≤ ${TARGET_RATIO}×\n\n`,
    );
    const header = `${'case'.padEnd(width)}  ${'wall'.padStart(8)}  ${'ratio'.padStart(7)}  target  ${'cpu'.padStart(8)}  ${'cpu ratio'.padStart(9)}`;
    process.stdout.write(`${header}\n${'─'.repeat(header.length)}\n`);
    for (const r of report) {
      const verdict = r.meetsTarget === undefined ? '' : r.meetsTarget ? 'met' : 'MISSED';
      process.stdout.write(
        `${r.case.padEnd(width)}  ${ms(r.wallMs).padStart(8)}  ${x(r.ratio).padStart(7)}  ${verdict.padEnd(6)}  ${ms(r.cpuMs).padStart(8)}  ${x(r.cpuRatio).padStart(9)}\n`,
      );
    }
    process.stdout.write(
      `\nEvery run started with an empty XDG_CACHE_HOME and no NODE_COMPILE_CACHE; afterwards the cache directory was still empty and nothing was left beside ${REPO_CONFIG} or its modules.\n`,
    );
  } finally {
    rmSync(cacheHome, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
}

main();
