import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { type GooseMigration, gooseVersion, parseGooseFile } from './goose-file.js';

/**
 * Reads every `*.sql` file of a goose migration directory, parsed and sorted by version. Other files
 * (README, `.go` migrations goose could compile) are ignored. A missing directory, a bad file name, a
 * duplicate version or a file goose would reject raises `ConfigError` — before anything connects.
 */
export async function loadMigrations(directory: string): Promise<GooseMigration[]> {
  const dir = resolve(directory);
  const info = await stat(dir).catch(() => undefined);
  if (!info)
    throw ConfigError.field(
      'directory',
      `migration directory ${dir} does not exist; pass the folder holding the NNNNN_name.sql files`,
      'migrations',
    );
  if (!info.isDirectory()) throw ConfigError.field('directory', `${dir} is not a directory`, 'migrations');

  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const byVersion = new Map<number, string>();
  for (const name of names) {
    const version = gooseVersion(name);
    const other = byVersion.get(version);
    if (other)
      throw ConfigError.field(
        name,
        `version ${version} is also used by ${other}; each migration needs its own version`,
        'migrations',
      );
    byVersion.set(version, name);
  }
  const migrations = await Promise.all(
    names.map(async (name) => parseGooseFile(await readFile(join(dir, name), 'utf8'), name)),
  );
  return migrations.sort((a, b) => a.version - b.version);
}
