import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const CLI_PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};
/** This CLI: its version and where it is installed (two installs never share an entry). */
export const CLI_IDENTITY = `${CLI_PACKAGE.name}@${CLI_PACKAGE.version} ${fileURLToPath(new URL('../..', import.meta.url))}`;

/** A cache entry read back, or undefined when it is missing or not JSON (a miss either way). */
export async function readEntry<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Written whole (a temporary file renamed over the entry); a cache that cannot be written is skipped silently. */
export async function writeEntry(file: string, entry: unknown): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temporary, `${JSON.stringify(entry)}\n`);
    await rename(temporary, file);
  } catch {
    await rm(temporary, { force: true }).catch(() => {});
  }
}
