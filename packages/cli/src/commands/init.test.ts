import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runBin } from '../testing-internal/run-bin.js';
import { runCli } from '../testing-internal/run-cli.js';

/*
 * `kubernaut-e2e init` in a directory laid out like a kubernaut checkout (our own minimal files: test/e2e/<suite>
 * folders and docker/*.Dockerfile), in-process; and the config it writes, loaded by the real binary.
 */
const WORKSPACE = resolve(import.meta.dirname, '../../../..');
const VERSION = JSON.parse(await readFile(join(WORKSPACE, 'packages/cli/package.json'), 'utf8')).version;

let work: string;
let checkout: string;

async function layout(files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(checkout, path, '..'), { recursive: true });
    if (path.endsWith('/')) await mkdir(join(checkout, path), { recursive: true });
    else await writeFile(join(checkout, path), content);
  }
}

const KUBERNAUT_LIKE = {
  'docker/gateway.Dockerfile': 'FROM scratch\nCOPY --chown=1001:0 . .\n',
  'docker/gateway.runtime.Dockerfile': 'FROM scratch\nCOPY cmd/gateway/ /gateway/\n',
  'docker/data-storage.Dockerfile': 'FROM scratch\nCOPY go.mod ./\nCOPY . /src\n',
  'docker/notification-controller.Dockerfile': 'FROM scratch\nCOPY cmd/notification/ /n/\n',
  'docker/aianalysis.Dockerfile': 'FROM scratch\nCOPY cmd/aianalysis/ /a/\n',
  'docker/db-migrate.Dockerfile': 'FROM scratch\nCOPY migrations/ /m/\n',
  'test/e2e/gateway/': '',
  'test/e2e/datastorage/': '',
  'test/e2e/aianalysis/': '',
  'test/e2e/fullpipeline/': '',
  'test/e2e/kind-config.yaml': 'kind: Cluster\n',
  '.gitignore': 'bin/\n',
  // No newline after the last line, as kubernaut's own .dockerignore.
  '.dockerignore': '*.md\nmigrations/',
};

const init = (args: string[] = [], env: NodeJS.ProcessEnv = { HOME: join(work, 'home') }) =>
  runCli(['init', ...args], env, undefined, checkout);

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-init-'));
  checkout = join(work, 'kubernaut');
  await mkdir(checkout);
});
afterEach(() => rm(work, { recursive: true, force: true }));

describe('init in a kubernaut-like checkout', () => {
  beforeEach(() => layout(KUBERNAUT_LIKE));

  it('writes package.json with dev dependencies on the CLI, setup and the service packages it found', async () => {
    const run = await init();
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const manifest = JSON.parse(await readFile(join(checkout, 'package.json'), 'utf8'));
    expect(manifest).toEqual({
      private: true,
      type: 'module',
      description: expect.stringContaining('kubernaut-e2e init'),
      devDependencies: {
        '@kubernaut-e2e/cli': `^${VERSION}`,
        '@kubernaut-e2e/datastorage': `^${VERSION}`,
        '@kubernaut-e2e/gateway': `^${VERSION}`,
        '@kubernaut-e2e/notification': `^${VERSION}`,
        '@kubernaut-e2e/setup': `^${VERSION}`,
      },
    });
  });

  it('declares the suites a package declares, and names the others as TODO lines', async () => {
    await init();
    const config = await readFile(join(checkout, 'kubernaut-e2e.config.ts'), 'utf8');
    expect(config).toContain("import { gatewayService } from '@kubernaut-e2e/gateway';");
    expect(config).toContain("import { dataStorageService } from '@kubernaut-e2e/datastorage';");
    // Its Dockerfile is here, its suite folder is not: still the package's service.
    expect(config).toContain("import { notificationService } from '@kubernaut-e2e/notification';");
    expect(config).not.toContain('authwebhook');
    expect(config).toContain("projectRoot: '.'");
    expect(config).toContain(
      '    gatewayService, // test/e2e/gateway, docker/gateway.Dockerfile, docker/gateway.runtime.Dockerfile',
    );
    expect(config).toContain('    // TODO aianalysis: test/e2e/aianalysis, docker/aianalysis.Dockerfile\n');
    expect(config).toContain('    // TODO fullpipeline: test/e2e/fullpipeline (no Dockerfile matched)\n');
    expect(config).toContain('// Dockerfiles of no suite found here: docker/db-migrate.Dockerfile.');
  });

  it('ignores node_modules in .gitignore and in .dockerignore, as a Dockerfile copies the whole checkout', async () => {
    const run = await init();
    expect(await readFile(join(checkout, '.gitignore'), 'utf8')).toBe(
      'bin/\n\n# kubernaut-e2e (written by kubernaut-e2e init)\nnode_modules/\n',
    );
    expect(await readFile(join(checkout, '.dockerignore'), 'utf8')).toBe(
      '*.md\nmigrations/\n\n# kubernaut-e2e (written by kubernaut-e2e init)\nnode_modules\npackage.json\npackage-lock.json\nkubernaut-e2e.config.ts\n',
    );
    expect(run.stdout).toContain(
      '.dockerignore: added node_modules, package.json, package-lock.json, kubernaut-e2e.config.ts (docker/data-storage.Dockerfile and 1 more copy the whole checkout)',
    );
    expect(run.stdout).toContain(
      `run outputs: ${join(work, 'home', '.local', 'state', 'kubernaut-e2e', 'runs')} (outside the checkout)`,
    );
  });

  it('prints exactly the next two commands, and where to run them', async () => {
    const run = await init();
    expect(
      run.stdout.endsWith(
        `\nNext, in ${checkout}:\n  npm install\n  npx kubernaut-e2e up gateway --runtime sim\n`,
      ),
    ).toBe(true);
  });

  it('run again once package.json and the config are moved away: the ignore files stay as they were', async () => {
    await init();
    const ignores = async () => [
      await readFile(join(checkout, '.gitignore'), 'utf8'),
      await readFile(join(checkout, '.dockerignore'), 'utf8'),
    ];
    const first = await ignores();
    await rm(join(checkout, 'package.json'));
    await rm(join(checkout, 'kubernaut-e2e.config.ts'));
    const again = await init();
    expect(again.code).toBe(0);
    expect(await ignores()).toEqual(first);
    expect(again.stdout).toContain('.gitignore: already has what it needs');
  });

  it('run outputs inside the checkout (XDG_STATE_HOME there) are ignored by git and by the image builds', async () => {
    const run = await init([], { HOME: join(work, 'home'), XDG_STATE_HOME: join(checkout, '.state') });
    expect(run.code).toBe(0);
    expect(await readFile(join(checkout, '.gitignore'), 'utf8')).toContain(
      'node_modules/\n/.state/kubernaut-e2e/runs/\n',
    );
    expect(await readFile(join(checkout, '.dockerignore'), 'utf8')).toContain(
      'kubernaut-e2e.config.ts\n/.state/kubernaut-e2e/runs/\n',
    );
  });

  it('--dir <checkout> from elsewhere does the same there', async () => {
    const run = await runCli(['init', '--dir', checkout], { HOME: join(work, 'home') }, undefined, work);
    expect(run.code).toBe(0);
    expect(existsSync(join(checkout, 'kubernaut-e2e.config.ts'))).toBe(true);
    expect(existsSync(join(work, 'package.json'))).toBe(false);
  });
});

describe('init --force over files that exist', () => {
  beforeEach(() => layout(KUBERNAUT_LIKE));

  it('adds the dev dependencies to their package.json, keeping every other field', async () => {
    const theirs = {
      name: 'kubernaut-tools',
      scripts: { lint: 'eslint .' },
      devDependencies: { typescript: '^5.6.0', '@kubernaut-e2e/gateway': '^0.0.1' },
    };
    await writeFile(join(checkout, 'package.json'), JSON.stringify(theirs));
    const run = await init(['--force']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(await readFile(join(checkout, 'package.json'), 'utf8'))).toEqual({
      name: 'kubernaut-tools',
      scripts: { lint: 'eslint .' },
      devDependencies: {
        '@kubernaut-e2e/cli': `^${VERSION}`,
        '@kubernaut-e2e/datastorage': `^${VERSION}`,
        '@kubernaut-e2e/gateway': `^${VERSION}`,
        '@kubernaut-e2e/notification': `^${VERSION}`,
        '@kubernaut-e2e/setup': `^${VERSION}`,
        typescript: '^5.6.0',
      },
    });
    expect(run.stdout).toContain('added to the existing package.json: dev dependencies');
    expect(existsSync(join(checkout, 'kubernaut-e2e.config.ts'))).toBe(true);
  });

  it('writes the config again over the one there', async () => {
    await writeFile(join(checkout, 'kubernaut-e2e.config.ts'), '// an old config\n');
    const run = await init(['--force']);
    expect(run.code).toBe(0);
    const config = await readFile(join(checkout, 'kubernaut-e2e.config.ts'), 'utf8');
    expect(config).not.toContain('an old config');
    expect(config).toContain("import { gatewayService } from '@kubernaut-e2e/gateway';");
    expect(run.stdout).toContain('rewrote kubernaut-e2e.config.ts: gateway, datastorage, notification');
  });
});

describe('init refuses, writing nothing (exit 2)', () => {
  it('a package.json exists: it names the file, --force, and the install command that adds what init would', async () => {
    await layout({ ...KUBERNAUT_LIKE, 'package.json': '{"name":"theirs"}\n' });
    const run = await init();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${join(checkout, 'package.json')} exists, and init does not overwrite it: run init --force to add the dev dependencies to it`,
    );
    expect(run.stderr).toContain('→ at package.json');
    expect(run.stderr).toContain(
      `npm install -D @kubernaut-e2e/cli@^${VERSION} @kubernaut-e2e/datastorage@^${VERSION} @kubernaut-e2e/gateway@^${VERSION} @kubernaut-e2e/notification@^${VERSION} @kubernaut-e2e/setup@^${VERSION}`,
    );
    expect(await readFile(join(checkout, 'package.json'), 'utf8')).toBe('{"name":"theirs"}\n');
    expect(existsSync(join(checkout, 'kubernaut-e2e.config.ts'))).toBe(false);
    expect(await readFile(join(checkout, '.gitignore'), 'utf8')).toBe('bin/\n');
  });

  it('the config file exists: it names the file and --force', async () => {
    await layout({ ...KUBERNAUT_LIKE, 'kubernaut-e2e.config.ts': '// mine\n' });
    const run = await init();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${join(checkout, 'kubernaut-e2e.config.ts')} exists, and init does not overwrite it: edit it`,
    );
    expect(run.stderr).toContain('or run init --force to write it again');
    expect(run.stderr).toContain('→ at kubernaut-e2e.config.ts');
    expect(await readFile(join(checkout, 'kubernaut-e2e.config.ts'), 'utf8')).toBe('// mine\n');
    expect(existsSync(join(checkout, 'package.json'))).toBe(false);
  });

  it.each([[[]], [['--force']]])(
    'a config under another name the CLI reads (%j): refused, as a new .ts would hide it',
    async (flags) => {
      await layout({ ...KUBERNAUT_LIKE, 'kubernaut-e2e.config.mjs': 'export default {};\n' });
      const run = await init(flags);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${join(checkout, 'kubernaut-e2e.config.mjs')} exists: move it away`);
      expect(run.stderr).toContain('→ at kubernaut-e2e.config.mjs');
      expect(existsSync(join(checkout, 'package.json'))).toBe(false);
      expect(existsSync(join(checkout, 'kubernaut-e2e.config.ts'))).toBe(false);
    },
  );

  it('--force with a package.json that is not a JSON object: names the file, writes nothing', async () => {
    await layout({ ...KUBERNAUT_LIKE, 'package.json': '{"name": "theirs",\n' });
    const run = await init(['--force']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(checkout, 'package.json')} is not a JSON object`);
    expect(run.stderr).toContain('→ at package.json');
    expect(await readFile(join(checkout, 'package.json'), 'utf8')).toBe('{"name": "theirs",\n');
    expect(existsSync(join(checkout, 'kubernaut-e2e.config.ts'))).toBe(false);
    expect(await readFile(join(checkout, '.gitignore'), 'utf8')).toBe('bin/\n');
  });

  it('nothing here is a suite a package declares', async () => {
    await layout({ 'test/e2e/fullpipeline/': '', 'docker/db-migrate.Dockerfile': 'FROM scratch\n' });
    const run = await init();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'found test/e2e/fullpipeline, docker/db-migrate.Dockerfile: none is a suite a service package declares (gateway, datastorage, notification, authwebhook)',
    );
    expect(await readdir(checkout)).toEqual(['docker', 'test']);
  });

  it.each([
    [['init', 'gateway'], 'service', '`init` takes no service'],
    [['plan', 'gateway', '--dir', '.'], '--dir', 'only with `init`'],
    [['up', 'gateway', '--force'], '--force', 'only with `init`'],
    [['init', '--dir', '/nonexistent/checkout'], '--dir', '/nonexistent/checkout is not a directory'],
  ])('%j: the field and what is allowed', async (argv, field, message) => {
    const run = await runCli(argv, {}, undefined, checkout);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(`→ at ${field}`);
    expect(await readdir(checkout)).toEqual([]);
  });
});

describe('the config init writes, loaded by the real binary', () => {
  it('in a copy of the fixture project with the packages installed: plan gateway --runtime sim works', async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` (pnpm test does) first`);
    await rm(checkout, { recursive: true });
    await cp(join(WORKSPACE, 'services', 'fixture-project'), checkout, { recursive: true });
    const run = await init();
    expect(run.code).toBe(0);
    // npm's layout: node_modules/@kubernaut-e2e/<name>, each what package.json asks for.
    const manifest = JSON.parse(await readFile(join(checkout, 'package.json'), 'utf8'));
    await mkdir(join(checkout, 'node_modules', '@kubernaut-e2e'), { recursive: true });
    for (const name of Object.keys(manifest.devDependencies)) {
      const dir = name.replace('@kubernaut-e2e/', '');
      const source = existsSync(join(WORKSPACE, 'services', dir)) ? `services/${dir}` : `packages/${dir}`;
      await symlink(join(WORKSPACE, source), join(checkout, 'node_modules', name));
    }
    const plan = await runBin(['plan', 'gateway', '--runtime', 'sim'], {
      cwd: join(checkout, 'test', 'e2e', 'authwebhook'),
      env: { PATH: process.env.PATH, HOME: join(work, 'home'), CI: 'true' },
    });
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' });
    expect(plan.stdout).toContain('Plan for gateway (dag)');
    expect(plan.stdout).toContain(
      join(checkout, 'test/infrastructure/kind-gateway-config.yaml').replace(`${checkout}/`, ''),
    );
  });
});
