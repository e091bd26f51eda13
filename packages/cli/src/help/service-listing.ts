import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findConfigFile } from '@kubernaut-e2e/setup/options';
import type { CliArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { CLI_IDENTITY, readEntry, sha256, writeEntry } from '../startup-cache/cache-entry.js';
import { type FileStamp, installState, isUnchanged, loadedFiles } from '../startup-cache/file-stamps.js';

/** What `--help` shows of a service. */
export interface ServiceSummary {
  readonly name: string;
  readonly description?: string;
}

/** The services of the project config `--help` describes; `file` is absent for the built-in services. */
export interface ServiceListing {
  readonly file?: string;
  readonly services: readonly ServiceSummary[];
}

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
const FORMAT = 2;

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
  const entryFile = join(
    cacheDir,
    `services-${sha256(`${CLI_IDENTITY}\0${file ?? '(built-in)'}`).slice(0, 24)}.json`,
  );
  const cached = await readEntry<CacheEntry>(entryFile);
  if (
    cached !== undefined &&
    cached.format === FORMAT &&
    cached.cli === CLI_IDENTITY &&
    Array.isArray(cached.inputs) &&
    cached.config === (file ?? null) &&
    cached.configHash === configHash &&
    cached.inputs.every(isUnchanged)
  ) {
    return { ...(file !== undefined ? { file } : {}), services: cached.services };
  }

  const { recordImports } = await import('../startup-cache/record-imports.js');
  const { result, urls } = await recordImports(() => loadListing(args, io));
  const entry: CacheEntry = {
    format: FORMAT,
    cli: CLI_IDENTITY,
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
    services: config.services.map(({ name, description }) => ({
      name,
      ...(description !== undefined ? { description } : {}),
    })),
  };
}
