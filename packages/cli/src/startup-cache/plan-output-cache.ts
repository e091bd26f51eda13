import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { CLI_IDENTITY, readEntry, sha256, writeEntry } from './cache-entry.js';
import { type FileStamp, installState, isUnchanged, loadedFiles, stampOf } from './file-stamps.js';

type Stream = 'stdout' | 'stderr';

interface PlanCacheEntry {
  readonly format: typeof FORMAT;
  readonly key: string;
  /** What the plan depended on: the modules loaded, the files and directories read or looked for. */
  readonly inputs: readonly FileStamp[];
  /** What it printed, in order. */
  readonly output: readonly (readonly [Stream, string])[];
}

/** The shape of an entry; a different one is a miss. */
const FORMAT = 1;

/** Variables a shell changes between two identical commands; every other one is part of the key. */
const VOLATILE_ENV = new Set(['_', 'OLDPWD', 'SHLVL']);

/**
 * `plan` prints what a pure function of its inputs computes (the declaration, the graph, a simulated run on a
 * virtual clock), but computing it loads the config and every package (most of a second). So a successful plan's
 * output is kept in `io.cacheDir` and replayed while everything it depended on is unchanged:
 * - the key: this CLI (version and install path), the parsed arguments, the working directory and the environment;
 * - the inputs, checked on every replay: each module file loaded (the config, its imports, the packages), each file
 *   and directory read, listed or looked for through `node:fs` (kind configs, CRD directories, the config search),
 *   and the package manager's install state.
 * Anything different runs the plan again and refreshes the entry; a failed plan is never kept.
 */
export async function cachedPlanOutput(
  args: CliArgs,
  io: CliIo,
  run: (recording: CliIo) => Promise<number>,
): Promise<number> {
  const cacheDir = io.cacheDir;
  if (cacheDir === undefined) return run(io);
  const env = Object.entries(io.env)
    .filter(([name, value]) => value !== undefined && !VOLATILE_ENV.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key = sha256(JSON.stringify([CLI_IDENTITY, args, io.cwd, io.interactive, env]));
  const entryFile = join(cacheDir, `plan-${key.slice(0, 24)}.json`);

  const cached = await readEntry<PlanCacheEntry>(entryFile);
  if (
    cached?.format === FORMAT &&
    cached.key === key &&
    Array.isArray(cached.inputs) &&
    Array.isArray(cached.output) &&
    cached.inputs.every(isUnchanged)
  ) {
    for (const [stream, text] of cached.output) (stream === 'stderr' ? io.stderr : io.stdout)(text);
    return 0;
  }

  const output: [Stream, string][] = [];
  const recording: CliIo = {
    ...io,
    stdout: (text) => {
      output.push(['stdout', text]);
      io.stdout(text);
    },
    stderr: (text) => {
      output.push(['stderr', text]);
      io.stderr(text);
    },
  };
  const [{ recordImports }, { recordFileReads }] = await Promise.all([
    import('./record-imports.js'),
    import('./record-file-reads.js'),
  ]);
  const {
    result: { result: code, paths },
    urls,
  } = await recordImports(() => recordFileReads(() => run(recording)));
  if (code !== 0) return code;
  const cli = fileURLToPath(import.meta.url);
  const inputs: FileStamp[] = [
    // This CLI's own modules that were loaded before the recording started.
    ...['../main.js', '../args.js', '../io.js'].map((m) =>
      stampOf(fileURLToPath(new URL(m, import.meta.url))),
    ),
    ...loadedFiles(urls),
    ...[...paths].filter(([path]) => !isOwnEntry(cacheDir, path)).map(([path, use]) => stampOf(path, use)),
    ...installState(cli),
    ...installState(join(io.cwd, 'kubernaut-e2e.config.ts')),
  ];
  await writeEntry(entryFile, { format: FORMAT, key, inputs, output } satisfies PlanCacheEntry);
  return code;
}

/** The cache directory and this cache's entries change with every write: they are not inputs of a plan. */
function isOwnEntry(cacheDir: string, path: string): boolean {
  return path === cacheDir || (dirname(path) === cacheDir && basename(path).startsWith('plan-'));
}
