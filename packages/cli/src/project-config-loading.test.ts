import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runBin as run } from './testing-internal/run-bin.js';

/*
 * How the real binary finds and loads the project config, with no cache of any kind: a TypeScript config (and the
 * TypeScript modules it imports) on this Node, what a config that cannot load says, and what happens with no config
 * file at all. PATH holds only shims that record every call, so anything real that ran would be on record.
 */
const WORKSPACE = resolve(import.meta.dirname, '../../..');
const SERVICES = ['gateway', 'datastorage', 'notification', 'authwebhook'];

let work: string;
let shims: string;

function runBin(args: string[], cwd: string) {
  return run(args, { cwd, env: { PATH: shims, HOME: shims, CI: 'true' } });
}
const nothingRan = () => !existsSync(join(shims, 'calls.log'));
/** Files a load left beside the config or its modules: a compiled copy would be a cache in all but name. */
const hiddenCopies = async (dir: string) =>
  (await readdir(dir, { recursive: true })).filter((f) => /(^|\/)\.[^/]*\.mjs$/.test(f));

/** A directory with the named packages installed as npm lays them out. */
async function project(name: string, packages: Record<string, string>, files: Record<string, string> = {}) {
  const dir = join(work, name);
  await mkdir(join(dir, 'node_modules', '@kubernaut-e2e'), { recursive: true });
  for (const [pkg, path] of Object.entries(packages))
    await symlink(join(WORKSPACE, path), join(dir, 'node_modules', '@kubernaut-e2e', pkg));
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
  return dir;
}

const ORDERS = (description: string) => `import { defineConfig, defineService } from '@kubernaut-e2e/setup';
${description}
const port: number = 19080;
export default defineConfig({
  services: [defineService({ name: 'orders', description, hostPorts: { orders: port } })],
});
`;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` (pnpm test does) first`);
  shims = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-shims-'));
  for (const tool of ['podman', 'docker', 'kind', 'kubectl']) {
    await writeFile(join(shims, tool), `#!/bin/sh\necho "${tool} $*" >> "${shims}/calls.log"\nexit 1\n`);
    await chmod(join(shims, tool), 0o755);
  }
  work = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-config-loading-'));
});
// Each test starts with an empty call log.
beforeEach(() => rm(join(shims, 'calls.log'), { force: true }));
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(shims, { recursive: true, force: true });
});

describe('a TypeScript config on this Node, with no cache', () => {
  it('loads with the TypeScript modules it imports (`./x.ts`, and `./y.js` naming y.ts), leaving nothing behind', async () => {
    const dir = await project(
      'imports-typescript',
      { setup: 'packages/setup' },
      {
        'kubernaut-e2e.config.ts': ORDERS(
          "import { describe } from './describe.ts';\nimport { suffix } from './suffix.js';\nconst description = describe('orders') + suffix;",
        ),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the module's own template string
        'describe.ts': 'export const describe = (name: string): string => `the ${name} API`;\n',
        'suffix.ts': "export const suffix: string = ', typed';\n",
      },
    );
    const help = await runBin(['--help'], dir);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/orders\s+the orders API, typed/);
    expect(await hiddenCopies(dir)).toEqual([]);
  });

  it('loads modules of its own in other directories, imported from two places, and says what one threw under no temporary name', async () => {
    const dir = await project(
      'module-graph',
      { setup: 'packages/setup' },
      {
        'kubernaut-e2e.config.ts': ORDERS(
          "import { describe } from './lib/describe.js';\nimport { check } from './lib/check.ts';\ncheck(process.env.ORDERS_FAIL);\nconst description = describe('orders');",
        ),
      },
    );
    await mkdir(join(dir, 'lib'));
    await writeFile(
      join(dir, 'lib', 'describe.ts'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the module's own template string
      "import { SUFFIX } from '../shared.js';\nexport const describe = (name: string): string => `the ${name} API${SUFFIX}`;\n",
    );
    await writeFile(
      join(dir, 'lib', 'check.ts'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the module's own template string
      "import { SUFFIX } from '../shared.js';\ntype Flag = string | undefined;\nexport function check(flag: Flag): void {\n  if (flag) throw new Error(`refused${SUFFIX}`);\n}\n",
    );
    await writeFile(join(dir, 'shared.ts'), "export const SUFFIX: string = ', shared';\n");
    const help = await runBin(['--help'], dir);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/orders\s+the orders API, shared/);
    expect(await hiddenCopies(dir)).toEqual([]);

    const failed = await run(['plan', 'orders'], {
      cwd: dir,
      env: { PATH: shims, HOME: shims, CI: 'true', ORDERS_FAIL: '1' },
    });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('the config file threw while loading: refused, shared');
    expect(failed.stderr).not.toMatch(/\.mjs/);
    expect(await hiddenCopies(dir)).toEqual([]);
  });

  it('loads a config that imports a module of its own dynamically', async () => {
    const dir = await project(
      'dynamic-import',
      { setup: 'packages/setup' },
      {
        'kubernaut-e2e.config.ts': ORDERS(
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own template string
          "const { suffix } = await import('./suffix.js');\nconst description = `the orders API${suffix}`;",
        ),
        'suffix.ts': "export const suffix: string = ', later';\n",
      },
    );
    const help = await runBin(['--help'], dir);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/orders\s+the orders API, later/);
    expect(await hiddenCopies(dir)).toEqual([]);
  });

  it('loads a config that imports a JavaScript module of its own, which imports TypeScript', async () => {
    const dir = await project(
      'javascript-module',
      { setup: 'packages/setup' },
      {
        'kubernaut-e2e.config.ts': ORDERS(
          "import { describe } from './describe.mjs';\nconst description: string = describe('orders');",
        ),
        'describe.mjs':
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the module's own template string
          "import { suffix } from './suffix.js';\nexport const describe = (name) => `the ${name} API${suffix}`;\n",
        'suffix.ts': "export const suffix: string = ', from JavaScript';\n",
      },
    );
    const help = await runBin(['--help'], dir);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/orders\s+the orders API, from JavaScript/);
    expect(await hiddenCopies(dir)).toEqual([]);
  });

  it('a package the config imports is not installed: exit 2, the file, and the package to install', async () => {
    const dir = await project(
      'missing-package',
      { setup: 'packages/setup' },
      {
        'kubernaut-e2e.config.ts': `import { notificationService } from '@kubernaut-e2e/notification';
import { defineConfig } from '@kubernaut-e2e/setup';
export default defineConfig({ services: [notificationService] });
`,
      },
    );
    const config = join(dir, 'kubernaut-e2e.config.ts');
    const run = await runBin(['plan', 'notification'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Invalid project config ${config}`);
    expect(run.stderr).toContain(
      `cannot find package "@kubernaut-e2e/notification" (imported from ${config}); install it in the project: npm install -D @kubernaut-e2e/notification`,
    );
    expect(run.stderr).not.toMatch(/\.mjs/);
    expect(await hiddenCopies(dir)).toEqual([]);
    expect(nothingRan()).toBe(true);
  });

  it('a config that is not valid TypeScript: exit 2, the file, the line and column', async () => {
    const dir = await project(
      'syntax-error',
      { setup: 'packages/setup' },
      {
        'kubernaut-e2e.config.ts':
          "import { defineConfig } from '@kubernaut-e2e/setup';\nexport default defineConfig({ services: [ });\n",
      },
    );
    const run = await runBin(['plan', 'orders'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Invalid project config ${join(dir, 'kubernaut-e2e.config.ts')}`);
    expect(run.stderr).toMatch(/the config file is not valid TypeScript: .*\(2:\d+\)/);
    expect(await hiddenCopies(dir)).toEqual([]);
  });

  it('a config that throws: what it threw, under its own name and never a temporary copy', async () => {
    const dir = await project(
      'throws',
      { setup: 'packages/setup' },
      {
        'kubernaut-e2e.config.ts':
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own template string
          "const root: string = '/nowhere';\nthrow new Error(`no checkout at ${root}`);\n",
      },
    );
    const run = await runBin(['plan', 'orders'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Invalid project config ${join(dir, 'kubernaut-e2e.config.ts')}`);
    expect(run.stderr).toContain('the config file threw while loading: no checkout at /nowhere');
    expect(run.stderr).not.toMatch(/\.mjs/);
    expect(await hiddenCopies(dir)).toEqual([]);
  });
});

describe('no config file', () => {
  it('and no service package installed: --help says what to do, and a command is exit 2 saying it', async () => {
    const dir = await project('bare', {});
    const help = await runBin(['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'Services (none: no kubernaut-e2e.config.ts found, and no service package installed here)',
    );
    const plan = await runBin(['plan', 'gateway', '--runtime', 'sim'], dir);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain(`no kubernaut-e2e.config.ts in ${dir} or above it`);
    expect(plan.stderr).toContain('npm install -D @kubernaut-e2e/gateway');
    expect(plan.stderr).toContain('--config <file>');
    expect(nothingRan()).toBe(true);
  });

  it('status and prune look at this machine: they run without a config', async () => {
    const dir = await project('machine', {});
    const status = await runBin(['status', '--json'], dir);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).tools.map((t: { name: string }) => t.name)).toContain('podman');
    const prune = await runBin(['prune'], dir);
    expect(prune.stderr).toBe('');
    expect(prune.code).toBe(0);
  });

  it('with the service packages installed: the default config declares their services', async () => {
    const dir = await project('installed', Object.fromEntries(SERVICES.map((s) => [s, `services/${s}`])));
    const help = await runBin(['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'Services (no kubernaut-e2e.config.ts found: the service packages installed here)',
    );
    for (const service of SERVICES) expect(help.stdout).toMatch(new RegExp(`\\n  ${service}\\s`));
    const plan = await runBin(['plan', 'gateway', '--runtime', 'sim'], dir);
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('Plan for gateway (dag)');
    expect(nothingRan()).toBe(true);
  });

  it('a real runtime never builds the bundled fixture: up without a checkout is exit 2 saying what to pass', async () => {
    const dir = await project('real-runtime', { gateway: 'services/gateway' });
    const run = await runBin(['up', 'gateway', '--runtime', 'podman'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('→ at projectRoot');
    expect(run.stderr).toContain('pass --project-root <your kubernaut checkout>');
    expect(nothingRan()).toBe(true);

    // The same for a config that names no projectRoot; with --project-root the run goes on (to the missing tools).
    const configured = await project(
      'real-runtime-config',
      { setup: 'packages/setup', gateway: 'services/gateway' },
      {
        'kubernaut-e2e.config.ts': `import { gatewayService } from '@kubernaut-e2e/gateway';
import { defineConfig } from '@kubernaut-e2e/setup';
export default defineConfig({ services: [gatewayService] });
`,
      },
    );
    expect((await runBin(['up', 'gateway', '--runtime', 'podman'], configured)).code).toBe(2);
    await cp(join(WORKSPACE, 'services', 'fixture-project'), join(configured, 'checkout'), {
      recursive: true,
    });
    const given = await runBin(
      ['up', 'gateway', '--runtime', 'podman', '--project-root', 'checkout'],
      configured,
    );
    expect(given.stderr).not.toContain('→ at projectRoot');
    expect(given.code).toBe(1);
  });
});
