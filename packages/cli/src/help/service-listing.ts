import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findConfigFile } from '@kubernaut-e2e/setup/options';
import type { CliArgs } from '../args.js';
import type { CliIo } from '../io.js';

/** What `--help` shows of a service. */
export interface ServiceSummary {
  readonly service: string;
  readonly description?: string;
}

/** The services of the project config `--help` describes; `file` is absent for the built-in services. */
export interface ServiceListing {
  readonly file?: string;
  readonly services: readonly ServiceSummary[];
}

/** A file's identity as far as the cache is concerned: path, size, modification time. */
type FileStamp = readonly [path: string, size: number, mtimeMs: number];

interface CacheEntry {
  readonly format: typeof FORMAT;
  readonly cli: string;
  /** The config file, or null for the built-in services. */
  readonly config: string | null;
  /** SHA-256 of the config file's content. */
  readonly configHash: string | null;
  readonly services: readonly ServiceSummary[];
  /** Every file the config's module graph loaded, and the package manager's install state. */
  readonly inputs: readonly FileStamp[];
}

/** The shape of a cache entry; a different one is a miss. */
const FORMAT = 1;

const CLI_PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};
/** This CLI: its version and where it is installed (two installs never share an entry). */
const CLI = `${CLI_PACKAGE.name}@${CLI_PACKAGE.version} ${fileURLToPath(new URL('../..', import.meta.url))}`;

/** Written by pnpm, npm and yarn on every install: a changed one means the config's packages may have changed. */
const INSTALL_STATE = ['.modules.yaml', '.package-lock.json', '.yarn-state.yml'];

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The services `--help` lists. Loading a project config loads every package its services come from (most of a
 * second, more for TypeScript), so the names and descriptions are cached in `io.cacheDir`, one entry per config
 * file (or the built-in list). An entry is used only when the config's content is unchanged and so is every file
 * its module graph loaded (same size and modification time) and the install state of the nearest `node_modules`;
 * anything else loads the config and refreshes the entry. Without `io.cacheDir` the config is loaded every time.
 */
export async function serviceListing(args: CliArgs, io: CliIo): Promise<ServiceListing> {
  const file = args.config ?? findConfigFile(io.cwd);
  const cacheDir = io.cacheDir;
  if (cacheDir === undefined) return loadListing(args, io);
  let configHash: string | null = null;
  if (file !== undefined) {
    try {
      configHash = sha256(await readFile(file));
    } catch {
      return loadListing(args, io); // unreadable: loading it reports why
    }
  }
  const entryFile = join(cacheDir, `services-${sha256(`${CLI}\0${file ?? '(built-in)'}`).slice(0, 24)}.json`);
  const cached = await readEntry(entryFile);
  if (
    cached !== undefined &&
    cached.format === FORMAT &&
    cached.cli === CLI &&
    cached.config === (file ?? null) &&
    cached.configHash === configHash &&
    cached.inputs.every(isUnchanged)
  ) {
    return { ...(file !== undefined ? { file } : {}), services: cached.services };
  }

  const { recordImports } = await import('./record-imports.js');
  const { result, urls } = await recordImports(() => loadListing(args, io));
  const entry: CacheEntry = {
    format: FORMAT,
    cli: CLI,
    config: file ?? null,
    configHash,
    services: result.services,
    inputs: [
      ...loadedFiles(urls),
      ...installState(file === undefined ? fileURLToPath(import.meta.url) : file),
    ],
  };
  await writeEntry(entryFile, entry);
  return result;
}

async function loadListing(args: CliArgs, io: CliIo): Promise<ServiceListing> {
  const { loadProjectConfig } = await import('../project-config.js');
  const config = await loadProjectConfig(args, io.cwd, io.cacheDir);
  return {
    ...(config.file !== undefined ? { file: config.file } : {}),
    services: config.services.map(({ service, description }) => ({
      service,
      ...(description !== undefined ? { description } : {}),
    })),
  };
}

function stampOf(path: string): FileStamp | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats?.isFile() ? [path, stats.size, stats.mtimeMs] : undefined;
}

function isUnchanged([path, size, mtimeMs]: FileStamp): boolean {
  const now = stampOf(path);
  return now !== undefined && now[1] === size && now[2] === mtimeMs;
}

/** The files behind module URLs, once each; a file gone by now (the config's temporary `.mts` copy) is left out. */
function loadedFiles(urls: readonly string[]): FileStamp[] {
  const paths = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const plain = new URL(url);
    plain.search = '';
    plain.hash = '';
    paths.add(fileURLToPath(plain));
  }
  return [...paths].map(stampOf).filter((stamp) => stamp !== undefined);
}

/** The install-state files of the nearest `node_modules` from `from` up. */
function installState(from: string): FileStamp[] {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const stamps = INSTALL_STATE.map((name) => stampOf(join(dir, 'node_modules', name))).filter(
      (stamp) => stamp !== undefined,
    );
    if (stamps.length > 0 || dirname(dir) === dir) return stamps;
  }
}

async function readEntry(file: string): Promise<CacheEntry | undefined> {
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as CacheEntry;
    return Array.isArray(entry?.inputs) && Array.isArray(entry.services) ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole (a temporary file renamed over the entry); a cache that cannot be written is skipped silently. */
async function writeEntry(file: string, entry: CacheEntry): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temporary, `${JSON.stringify(entry)}\n`);
    await rename(temporary, file);
  } catch {
    await rm(temporary, { force: true }).catch(() => {});
  }
}
