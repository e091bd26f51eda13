import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Tests import workspace packages by name; this maps each name to its TypeScript source so
 * `pnpm test` never tests a stale dist/ build.
 */
function workspaceAliases(): { find: RegExp; replacement: string }[] {
  const aliases: { find: RegExp; replacement: string }[] = [];
  const exact = (name: string) => new RegExp(`^${name.replace(/[/.-]/g, '\\$&')}$`);
  for (const group of ['packages', 'services', 'tests']) {
    for (const dir of readdirSync(resolve(import.meta.dirname, group))) {
      const root = resolve(import.meta.dirname, group, dir);
      const manifest = resolve(root, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, exports = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name: string;
        exports?: Record<string, { '@kubernaut-e2e/source'?: string }>;
      };
      // Every export (`.`, `./vitest`, `./testing`, …) to the source file its `@kubernaut-e2e/source` condition names.
      for (const [subpath, conditions] of Object.entries(exports)) {
        const source = conditions['@kubernaut-e2e/source'];
        if (source === undefined) continue;
        const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
        aliases.push({ find: exact(specifier), replacement: resolve(root, source) });
      }
      const testing = resolve(root, 'src/testing/index.ts');
      if (existsSync(testing) && !aliases.some((a) => a.replacement === testing))
        aliases.push({ find: exact(`${name}/testing`), replacement: testing });
    }
  }
  return aliases;
}

const alias = workspaceAliases();
const roots = ['packages/*/src/**', 'services/*/src/**', 'tests/*/src/**'];
// The services this repository's own project config declares without a package (kubernaut-e2e.config.ts).
const projectDeclarations = 'config/*.test.ts';

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: [...roots.map((r) => join(r, '*.test.ts')), projectDeclarations],
          exclude: ['**/*.int.test.ts', 'tests/e2e/**', '**/node_modules/**', '**/dist/**'],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: roots.map((r) => join(r, '*.int.test.ts')),
          exclude: ['tests/e2e/**', '**/node_modules/**', '**/dist/**'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Real podman/containerd/PostgreSQL share one machine: keep files sequential.
          fileParallelism: false,
          // The real Go builds need the fixture's generated Go sources (not committed); fast when already there.
          globalSetup: ['services/fixture-project/hack/generate-go-fixture.mjs'],
        },
      },
      {
        resolve: { alias },
        test: {
          // kubernaut-e2e's own end-to-end tests (tests/e2e): the CLI and the setup on the real toolchain, minutes each.
          name: 'e2e',
          include: ['tests/e2e/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Real podman/dockerd/containerd/PostgreSQL share one machine: keep files sequential.
          fileParallelism: false,
        },
      },
      // Each service ships an example suite; here it runs against the simulated toolchain.
      ...['gateway', 'datastorage', 'notification', 'authwebhook'].map((service) => ({
        resolve: { alias },
        test: {
          name: `example-${service}`,
          include: [`services/${service}/example/*.e2e.test.ts`],
          globalSetup: [`services/${service}/example/global-setup.ts`],
          env: { KUBERNAUT_E2E_RUNTIME: 'sim' },
        },
      })),
    ],
  },
});
