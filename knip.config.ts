import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KnipConfig } from 'knip';

/**
 * Each workspace package name (and subpath) to its TypeScript source, as vitest.config.ts maps them: so an import
 * of `@kubernaut-e2e/setup` counts as a use of `packages/setup/src/index.ts`, with or without a build.
 */
function workspaceSources(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const group of ['packages', 'services', 'tests']) {
    for (const dir of readdirSync(resolve(import.meta.dirname, group))) {
      const manifest = join(import.meta.dirname, group, dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, exports = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name: string;
        exports?: Record<string, { '@kubernaut-e2e/source'?: string }>;
      };
      for (const [subpath, conditions] of Object.entries(exports)) {
        const source = conditions['@kubernaut-e2e/source'];
        if (source === undefined) continue;
        paths[subpath === '.' ? name : `${name}/${subpath.slice(2)}`] = [join(group, dir, source)];
      }
    }
  }
  return paths;
}

const config: KnipConfig = {
  paths: workspaceSources(),
  ignoreExportsUsedInFile: true,
  workspaces: {
    '.': {
      entry: ['kubernaut-e2e.config.ts', 'config/*.test.ts', 'scripts/*.mjs', '.ci/*.mjs'],
      project: ['config/**/*.ts', 'scripts/**/*.mjs', '.ci/**/*.mjs', '*.ts'],
    },
    'packages/*': {
      entry: ['bench/*.ts', 'src/**/*.test.ts'],
      project: ['src/**/*.ts', 'bench/**/*.ts'],
    },
    'packages/cli': {
      entry: ['src/bin.ts', 'bench/*.ts', 'src/**/*.test.ts'],
      project: ['src/**/*.ts', 'bench/**/*.ts'],
    },
    'packages/core': {
      entry: ['src/**/*.test.ts', 'src/testing/__fixtures__/**/*.mjs'],
      project: ['src/**/*.ts'],
      ignoreDependencies: ['tsx', 'vitest'],
    },
    'packages/image-builder': {
      entry: ['bench/*.ts', 'src/**/*.test.ts'],
      project: ['src/**/*.ts', 'bench/**/*.ts'],
      ignoreDependencies: ['tsx'],
    },
    'services/*': {
      entry: ['example/**/*.ts', 'src/**/*.test.ts'],
      project: ['src/**/*.ts', 'example/**/*.ts'],
    },
    'tests/*': {
      entry: ['src/**/*.test.ts'],
      project: ['src/**/*.ts'],
    },
  },
};

export default config;
