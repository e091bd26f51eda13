import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runBin as run } from './testing-internal/run-bin.js';

// The real binary: its caches only matter to a process that starts, loads and exits.
const WORKSPACE = resolve(import.meta.dirname, '../../..');

let root: string;
let cacheHome: string;
let cacheDir: string;

function runBin(args: string[], cwd: string) {
  return run(args, { cwd, env: { PATH: '/nonexistent', HOME: root, XDG_CACHE_HOME: cacheHome, CI: 'true' } });
}

/**
 * A project whose TypeScript config counts its own evaluations (one `x` per load in `loads.log`) and takes the
 * service's description from a module beside it.
 */
async function project(name: string, config: string, files: Record<string, string> = {}): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'node_modules', '@kubernaut-e2e'), { recursive: true });
  await symlink(join(WORKSPACE, 'packages/setup'), join(dir, 'node_modules', '@kubernaut-e2e', 'setup'));
  await writeFile(join(dir, 'kubernaut-e2e.config.ts'), config);
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
  return dir;
}

const COUNTING_CONFIG = `import { appendFileSync } from 'node:fs';
import { defineConfig, defineService } from '@kubernaut-e2e/setup';
import { description } from './description.mjs';

appendFileSync(new URL('./loads.log', import.meta.url), 'x');
const orders = defineService({ name: 'orders', description, hostPorts: { orders: 19080 } });
export default defineConfig({ services: [orders], overrides: { orders: { pattern: 'hybrid' } } });
`;

const loads = async (dir: string) => (await readFile(join(dir, 'loads.log'), 'utf8').catch(() => '')).length;
const cacheFiles = async (prefix: string) =>
  existsSync(cacheDir) ? (await readdir(cacheDir)).filter((f) => f.startsWith(prefix)) : [];

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` (pnpm test does) first`);
  root = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-caches-'));
  cacheHome = join(root, 'cache');
  cacheDir = join(cacheHome, 'kubernaut-e2e');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('--help lists the services from its cache while the config and what it loads are unchanged', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await project('help', COUNTING_CONFIG, {
      'description.mjs': "export const description = 'the orders API';\n",
    });
  });

  it('loads the config on the first --help and not on the second', async () => {
    const first = await runBin(['--help'], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/orders\s+the orders API/);
    expect(await loads(dir)).toBe(1);
    expect(await cacheFiles('services-')).toHaveLength(1);

    const second = await runBin(['--help'], dir);
    expect(second.stdout).toBe(first.stdout);
    expect(await loads(dir)).toBe(1);
  });

  it('loads it again when a module the config imports changed', async () => {
    await writeFile(join(dir, 'description.mjs'), "export const description = 'the orders API, v2';\n");
    const run = await runBin(['--help'], dir);
    expect(run.stdout).toMatch(/orders\s+the orders API, v2/);
    expect(await loads(dir)).toBe(2);
  });

  it('loads it again when the config changed', async () => {
    const config = join(dir, 'kubernaut-e2e.config.ts');
    await writeFile(config, (await readFile(config, 'utf8')).replaceAll('orders', 'billing'));
    const run = await runBin(['--help'], dir);
    expect(run.stdout).toMatch(/billing\s+the orders API, v2/);
    expect(run.stdout).not.toMatch(/^\s+orders\s/m);
    expect(await loads(dir)).toBe(3);
    expect((await runBin(['--help'], dir)).stdout).toBe(run.stdout);
    expect(await loads(dir)).toBe(3);
  });

  it('caches the built-in list too (an entry it reads back is what it prints)', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-no-config-'));
    try {
      const before = await cacheFiles('services-');
      const first = await runBin(['--help'], bare);
      expect(first.stdout).toContain('Services (built in: no kubernaut-e2e.config.ts found)');
      expect(first.stdout).toMatch(/gateway\s+\S/);
      const [entry] = (await cacheFiles('services-')).filter((f) => !before.includes(f));
      expect(entry).toBeDefined();
      // Proof that the second run reads the entry instead of importing the service packages.
      const file = join(cacheDir, entry!);
      const stored = JSON.parse(await readFile(file, 'utf8'));
      stored.services[0].description = 'read from the cache';
      await writeFile(file, JSON.stringify(stored));
      expect((await runBin(['--help'], bare)).stdout).toMatch(/gateway\s+read from the cache/);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});

describe('plan replays its output while nothing it depended on changed', () => {
  const CRD = (name: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${name}s.kubernaut.ai
spec:
  group: kubernaut.ai
  names: { kind: X${name}, plural: ${name}s, singular: ${name} }
  scope: Namespaced
  versions: [{ name: v1, served: true, storage: true }]
`;
  let dir: string;
  beforeAll(async () => {
    dir = await project(
      'plan',
      COUNTING_CONFIG.replace("name: 'orders',", "name: 'orders', crds: ['config/crd'],").replace(
        'services: [orders]',
        "projectRoot: '.', services: [orders]",
      ),
      { 'description.mjs': "export const description = 'the orders API';\n" },
    );
    await mkdir(join(dir, 'config', 'crd'), { recursive: true });
    await writeFile(join(dir, 'config', 'crd', 'orders.yaml'), CRD('order'));
  });

  it('computes the first plan and replays the same output without loading the config again', async () => {
    const first = await runBin(['plan', 'orders'], dir);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Plan for orders (hybrid)');
    expect(await loads(dir)).toBe(1);
    expect(await cacheFiles('plan-')).toHaveLength(1);
    const second = await runBin(['plan', 'orders'], dir);
    expect(second.stdout).toBe(first.stdout);
    expect(await loads(dir)).toBe(1);
  });

  it('plans again when a file the declaration read changed, or a directory it listed gained an entry', async () => {
    await writeFile(join(dir, 'config', 'crd', 'orders.yaml'), `${CRD('order')}# edited\n`);
    await runBin(['plan', 'orders'], dir);
    expect(await loads(dir)).toBe(2);
    await writeFile(join(dir, 'config', 'crd', 'invoices.yaml'), CRD('invoice'));
    await runBin(['plan', 'orders'], dir);
    expect(await loads(dir)).toBe(3);
    await runBin(['plan', 'orders'], dir);
    expect(await loads(dir)).toBe(3);
  });

  it('keys on the arguments and the environment', async () => {
    const json = await runBin(['plan', 'orders', '--json'], dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ service: 'orders', pattern: 'hybrid' });
    expect(await loads(dir)).toBe(4);
    const standard = await run(['plan', 'orders'], {
      cwd: dir,
      env: {
        PATH: '/nonexistent',
        HOME: root,
        XDG_CACHE_HOME: cacheHome,
        CI: 'true',
        KEEP_CLUSTER: 'always',
      },
    });
    expect(standard.code).toBe(0);
    expect(await loads(dir)).toBe(5);
  });

  it('never keeps a failed plan: bad config input is reported on every run', async () => {
    const config = join(dir, 'kubernaut-e2e.config.ts');
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace("pattern: 'hybrid'", "pattern: 'fastest'"),
    );
    for (let i = 0; i < 2; i++) {
      const bad = await runBin(['plan', 'orders'], dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('overrides.orders.pattern');
    }
    expect(await loads(dir)).toBe(7);
  });
});

describe('a TypeScript config that imports only packages loads as cached JavaScript, without tsx', () => {
  it('compiles it once, loads the compiled form while it is unchanged, and recompiles it when it changes', async () => {
    // Compiled forms are keyed by content: this config differs from the other tests' so it starts uncached.
    const dir = await project('compiled', `// compiled\n${COUNTING_CONFIG}`, {
      'description.mjs': "export const description = 'the orders API';\n",
    });
    const before = await cacheFiles('config-');
    const first = await runBin(['plan', 'orders'], dir);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Plan for orders (hybrid)');
    const [compiled, ...more] = (await cacheFiles('config-')).filter((f) => !before.includes(f));
    expect(compiled).toBeDefined();
    expect(more).toEqual([]);

    // Proof that the next run loads the cached compiled form, not the file through tsx.
    const file = join(cacheDir, compiled!);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"hybrid"', '"standard"'));
    expect((await runBin(['plan', 'orders'], dir)).stdout).toContain('Plan for orders (standard)');
    expect(await loads(dir)).toBe(2);

    const config = join(dir, 'kubernaut-e2e.config.ts');
    await writeFile(config, `${await readFile(config, 'utf8')}// edited\n`);
    expect((await runBin(['plan', 'orders'], dir)).stdout).toContain('Plan for orders (hybrid)');
    expect((await cacheFiles('config-')).filter((f) => !before.includes(f))).toHaveLength(2);
    // The compiled copy beside the config is gone, like the `.mts` copy tsx loads.
    expect((await readdir(dir)).filter((f) => /\.(mjs|mts)$/.test(f))).toEqual(['description.mjs']);
  });

  it('always loads a config that imports other TypeScript through tsx, and caches nothing for it', async () => {
    const before = await cacheFiles('config-');
    const dir = await project(
      'relative-ts',
      COUNTING_CONFIG.replace("from './description.mjs'", "from './description.ts'"),
      { 'description.ts': "export const description: string = 'typed';\n" },
    );
    for (let i = 0; i < 2; i++) {
      const run = await runBin(['plan', 'orders'], dir);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('Plan for orders (hybrid)');
    }
    expect(await cacheFiles('config-')).toEqual(before);
  });
});
