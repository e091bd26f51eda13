import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Looked for in this order in each directory from the working directory up. */
export const CONFIG_FILE_NAMES = [
  'kubernaut-e2e.config.ts',
  'kubernaut-e2e.config.mts',
  'kubernaut-e2e.config.js',
  'kubernaut-e2e.config.mjs',
] as const;

/** The nearest config file from `cwd` up to the file-system root, or undefined. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = join(dir, name);
      if (existsSync(file) && statSync(file).isFile()) return file;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
