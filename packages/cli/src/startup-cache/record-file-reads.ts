import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PathUse } from './file-stamps.js';

type Target = Record<string, unknown>;

/** The `node:fs` calls that look at a path, and how each uses it. Writes are not inputs and are not recorded. */
const WATCHED: readonly (readonly [target: Target, names: readonly string[], use: PathUse])[] = [
  [
    fs as unknown as Target,
    ['readFileSync', 'openSync', 'copyFileSync', 'readFile', 'open', 'copyFile', 'createReadStream'],
    'content',
  ],
  [fs as unknown as Target, ['readdirSync', 'readdir', 'opendirSync', 'opendir'], 'entries'],
  [
    fs as unknown as Target,
    [
      'statSync',
      'lstatSync',
      'existsSync',
      'accessSync',
      'realpathSync',
      'stat',
      'lstat',
      'exists',
      'access',
    ],
    'exists',
  ],
  [fsPromises as unknown as Target, ['readFile', 'open', 'copyFile'], 'content'],
  [fsPromises as unknown as Target, ['readdir', 'opendir'], 'entries'],
  [fsPromises as unknown as Target, ['stat', 'lstat', 'access', 'realpath'], 'exists'],
];

/**
 * Runs `task` and returns, with its result, every path it read, listed or looked for through `node:fs` (including
 * through the ES module bindings `import { readFile } from 'node:fs/promises'`, which `syncBuiltinESMExports` points
 * at the wrappers). A path used both ways keeps its strongest use. Module loading is not seen here: see
 * `recordImports`. Process-wide while it runs, so it is for a process that does one thing, like a CLI command.
 */
export async function recordFileReads<T>(
  task: () => Promise<T>,
): Promise<{ result: T; paths: Map<string, PathUse> }> {
  const paths = new Map<string, PathUse>();
  const note = (path: unknown, use: PathUse) => {
    const text =
      typeof path === 'string'
        ? path
        : path instanceof URL && path.protocol === 'file:'
          ? fileURLToPath(path)
          : undefined;
    if (text === undefined) return; // a file descriptor or a Buffer path: nothing this cache keys on
    const absolute = resolve(text);
    const before = paths.get(absolute);
    if (before === undefined || before === 'exists') paths.set(absolute, use);
  };
  const originals: (() => void)[] = [];
  for (const [target, names, use] of WATCHED) {
    for (const name of names) {
      const original = target[name];
      if (typeof original !== 'function') continue;
      const wrapper = function (this: unknown, path: unknown, ...rest: unknown[]) {
        note(path, use);
        return (original as (...args: unknown[]) => unknown).call(this, path, ...rest);
      };
      // Keep what hangs off the original (`realpathSync.native`, `exists[promisify.custom]`).
      Object.assign(wrapper, original);
      target[name] = wrapper;
      originals.push(() => {
        target[name] = original;
      });
    }
  }
  syncBuiltinESMExports();
  try {
    return { result: await task(), paths };
  } finally {
    for (const restore of originals) restore();
    syncBuiltinESMExports();
  }
}
