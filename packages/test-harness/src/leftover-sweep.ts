import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { CommandRunner } from '@kubernaut-e2e/core';
import type { PostgresServer } from './postgres-harness.js';

/*
 * Test-only: everything a run could leave behind, looked at the way a user would, so a test can take a sweep
 * before a run and one after and count only what is new. "Everywhere" means: engine containers including
 * buildah's external working containers (`podman ps -a --external`), images including untagged intermediates
 * (`images -a`; a store so broken that listing fails counts too), files in the run's temp directories, the
 * kubeconfigs it may write, the stand-in's clusters, `kubectl port-forward` processes, open PostgreSQL
 * connections (`pg_stat_activity`), ledger files of runs that did not finish, and any process still alive that
 * descends from the run (found by a marker variable in its environment, which every child inherits).
 */

/** What a sweep counts, in the order a matrix prints it. */
export const LEFTOVER_KINDS = [
  'containers',
  'images',
  'temp',
  'kubeconfigs',
  'clusters',
  'port-forwards',
  'pg-connections',
  'processes',
  'ledgers',
] as const;
export type LeftoverKind = (typeof LEFTOVER_KINDS)[number];

/** One identity per thing found (an image ID, a path, `pid cmdline`, …), by kind. */
export type Sweep = Record<LeftoverKind, readonly string[]>;

export interface SweepScope {
  readonly runner: CommandRunner;
  /** Environments of the engines to list: a private podman store's, a private dockerd's. */
  readonly engines: readonly { readonly binary: 'podman' | 'docker'; readonly env: Record<string, string> }[];
  /** Directories whose entries count (the runs' TMPDIRs, the kubeconfig directory, the ledger state dir). */
  readonly tempDirs: readonly string[];
  readonly kubeconfigDirs: readonly string[];
  readonly stateDirs: readonly string[];
  /** Names of the clusters that exist now (the kind stand-in's). */
  readonly clusters: () => readonly string[];
  readonly postgres?: PostgresServer;
  /** `NAME=value` in a process's environment marks it as the run's (or a descendant's). */
  readonly processMark: string;
}

function entries(dirs: readonly string[], recursive = false): string[] {
  return dirs.flatMap((dir) => {
    if (!existsSync(dir)) return [];
    return (readdirSync(dir, { recursive }) as string[]).map((name) => `${dir}/${name}`);
  });
}

async function engineListing(
  runner: CommandRunner,
  binary: string,
  env: Record<string, string>,
  args: string[],
): Promise<string[]> {
  try {
    const { stdout } = await runner.run(binary, args, { env });
    return stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => `${binary} ${l}`);
  } catch (error) {
    // A store with a half-written image makes `podman images` fail: that is a leftover too.
    const tail = (error as { stderrTail?: readonly string[] }).stderrTail?.join(' ') ?? String(error);
    return [`${binary} ${args[0]} fails: ${tail}`];
  }
}

/** Processes whose environment carries `mark`, except this one: `pid cmdline`. */
export function markedProcesses(mark: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (!environ.includes(mark)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // exited, not yet reaped
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push(`${name} ${cmdline}`);
    } catch {
      // gone meanwhile, or a kernel thread
    }
  }
  return found;
}

async function pgConnections(postgres: PostgresServer): Promise<string[]> {
  const client = await postgres.connect('postgres');
  try {
    const { rows } = await client.query<{ pid: number; usename: string; datname: string }>(
      "SELECT pid, usename, datname FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
    );
    return rows.map((r) => `${r.pid} ${r.usename}@${r.datname}`);
  } finally {
    await client.end();
  }
}

/** Everything in the scope now. */
export async function sweep(scope: SweepScope): Promise<Sweep> {
  const containers: string[] = [];
  const images: string[] = [];
  for (const { binary, env } of scope.engines) {
    const ps =
      binary === 'podman'
        ? ['ps', '--all', '--external', '--format', '{{.ID}} {{.Names}} {{.Image}}']
        : ['ps', '--all', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.Image}}'];
    containers.push(...(await engineListing(scope.runner, binary, env, ps)));
    images.push(
      ...(await engineListing(scope.runner, binary, env, [
        'images',
        '--all',
        '--no-trunc',
        '--format',
        '{{.ID}} {{.Repository}}:{{.Tag}}',
      ])),
    );
  }
  const processes = markedProcesses(scope.processMark);
  return {
    containers,
    images,
    temp: entries(scope.tempDirs),
    // The files: the directory a kubeconfig is written to is made once and stays, like ~/.kube itself.
    kubeconfigs: entries(scope.kubeconfigDirs, true).filter((p) =>
      statSync(p, { throwIfNoEntry: false })?.isFile(),
    ),
    clusters: [...scope.clusters()],
    'port-forwards': processes.filter((p) => p.includes(' port-forward ')),
    'pg-connections': scope.postgres ? await pgConnections(scope.postgres) : [],
    processes: processes.filter((p) => !p.includes(' port-forward ')),
    ledgers: entries(scope.stateDirs, true).filter((p) => p.endsWith('.json')),
  };
}

/** What `after` holds that `before` did not. */
export function newSince(before: Sweep, after: Sweep): Sweep {
  const result = {} as Record<LeftoverKind, readonly string[]>;
  for (const kind of LEFTOVER_KINDS) {
    const had = new Set(before[kind]);
    result[kind] = after[kind].filter((item) => !had.has(item));
  }
  return result;
}

export function leftoverCount(leftovers: Sweep): number {
  return LEFTOVER_KINDS.reduce((n, kind) => n + leftovers[kind].length, 0);
}

/** One matrix row: a cell (step × fault), what the run said, and what it left. */
export interface MatrixRow {
  readonly cell: string;
  readonly exitCode: number | null;
  /** Whether the message named the failed step and the tail of its stderr (SIGINT cells: the interruption). */
  readonly message: boolean;
  readonly seconds: number;
  /** Signal cells: seconds from the signal to the process's exit. */
  readonly signalToExit?: number;
  readonly leftovers: Sweep;
}

/** The matrix as a table: cells × leftovers (counts), then what each non-zero count was. */
export function renderMatrix(rows: readonly MatrixRow[]): string {
  const head = ['cell', 'exit', 'message', ...LEFTOVER_KINDS, 's', 'signal→exit s'];
  const body = rows.map((r) => [
    r.cell,
    String(r.exitCode),
    r.message ? 'ok' : 'MISSING',
    ...LEFTOVER_KINDS.map((k) => String(r.leftovers[k].length)),
    r.seconds.toFixed(1),
    r.signalToExit === undefined ? '' : r.signalToExit.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const details = rows.flatMap((r) =>
    LEFTOVER_KINDS.flatMap((k) => r.leftovers[k].map((item) => `  ${r.cell} ${k}: ${item}`)),
  );
  return [
    line(head),
    ...body.map(line),
    ...(details.length > 0 ? ['', 'left behind:', ...details] : []),
  ].join('\n');
}
