import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Node arguments for a child process that runs the workspace's CURRENT TypeScript (`dist/` may be stale when
 * vitest runs without a build): tsx's ESM loader compiles each `.ts` module as it loads, and the
 * `@kubernaut-e2e/source` condition resolves workspace packages to their `src/`. Put them before the script.
 * `tsx/esm`, not `tsx`: tsx's CommonJS hook would resolve core's lazy `require('execa')` (an ES module) with
 * require conditions, which execa's dependencies do not export.
 */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = [
  '--conditions=@kubernaut-e2e/source',
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href,
];

/** Core's entry point as source, for a child's `import()`. */
export const CORE_SOURCE = resolve(import.meta.dirname, '../index.ts');
