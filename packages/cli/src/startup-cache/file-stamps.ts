import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What a cached answer depended on, as far as the file system goes, and how it was when the answer was made:
 * - `['file', path, size, mtimeMs]`: a file that was read (or loaded as a module);
 * - `['dir', path, mtimeMs]`: a directory that was listed (its mtime changes when an entry is added or removed);
 * - `['is-dir', path]`: a directory whose existence was checked;
 * - `['absent', path]`: a path that was looked for and not found.
 */
export type FileStamp =
  | readonly [kind: 'file', path: string, size: number, mtimeMs: number]
  | readonly [kind: 'dir', path: string, mtimeMs: number]
  | readonly [kind: 'is-dir', path: string]
  | readonly [kind: 'absent', path: string];

/** How a path was used: its content read (a file) or its entries listed (a directory), or only looked at. */
export type PathUse = 'content' | 'entries' | 'exists';

/** The stamp of `path` now, as the cache compares it for that use. */
export function stampOf(path: string, use: PathUse = 'content'): FileStamp {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) return ['absent', path];
  if (stats.isDirectory()) return use === 'entries' ? ['dir', path, stats.mtimeMs] : ['is-dir', path];
  return ['file', path, stats.size, stats.mtimeMs];
}

/** Whether the path is as it was when stamped. */
export function isUnchanged(stamp: FileStamp): boolean {
  const now = stampOf(stamp[1], stamp[0] === 'dir' ? 'entries' : 'content');
  if (stamp[0] === 'is-dir') return now[0] === 'is-dir' || now[0] === 'dir';
  return JSON.stringify(now) === JSON.stringify(stamp);
}

/** The files behind module URLs, once each; a file gone by now (the config's temporary `.mts` copy) is left out. */
export function loadedFiles(urls: readonly string[]): FileStamp[] {
  const paths = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const plain = new URL(url);
    plain.search = '';
    plain.hash = '';
    paths.add(fileURLToPath(plain));
  }
  return [...paths].map((path) => stampOf(path)).filter((stamp) => stamp[0] === 'file');
}

/** Written by pnpm, npm and yarn on every install: a changed one means the config's packages may have changed. */
const INSTALL_STATE = ['.modules.yaml', '.package-lock.json', '.yarn-state.yml'];

/** The install-state files of the nearest `node_modules` from `from` up. */
export function installState(from: string): FileStamp[] {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const stamps = INSTALL_STATE.map((name) => stampOf(join(dir, 'node_modules', name))).filter(
      (stamp) => stamp[0] === 'file',
    );
    if (stamps.length > 0 || dirname(dir) === dir) return stamps;
  }
}
