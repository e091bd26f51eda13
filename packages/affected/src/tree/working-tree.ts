import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceTree } from './source-tree.js';

/** Directories a walk of the working tree never enters: git's own, and JavaScript dependencies. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/**
 * The project's working tree as it is on disk, uncommitted and git-ignored files included: `go build` compiles
 * generated Go files whether git tracks them or not.
 */
export function workingTree(projectRoot: string): SourceTree {
  const files: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(join(dir, entry.name), path);
      } else if (entry.isFile() || entry.isSymbolicLink()) files.push(path);
    }
  };
  walk(projectRoot, '');
  files.sort();
  const present = new Set(files);
  return {
    description: projectRoot,
    files,
    has: (path) => present.has(path),
    contentId: () => undefined,
    async readFiles(paths) {
      const texts = new Map<string, string>();
      await Promise.all(
        paths
          .filter((p) => present.has(p))
          .map(async (p) => {
            const text = await readFile(join(projectRoot, p), 'utf8').catch(() => undefined);
            if (text !== undefined) texts.set(p, text);
          }),
      );
      return texts;
    },
  };
}
