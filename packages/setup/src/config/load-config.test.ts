import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findConfigFile, loadConfigFile } from './load-config.js';
import { serviceOptions } from './service-options.js';

const WORKSPACE = resolve(import.meta.dirname, '../../../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-config-test-'));
  // A project that installed the packages: node_modules/@kubernaut-e2e/<name> as npm would lay it out.
  await mkdir(join(dir, 'node_modules', '@kubernaut-e2e'), { recursive: true });
  await symlink(join(WORKSPACE, 'packages', 'setup'), join(dir, 'node_modules', '@kubernaut-e2e', 'setup'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A service value as a config file may hold it (what defineService returns). */
const service = (name: string, ports: Record<string, number>) =>
  `{ name: '${name}', hostPorts: ${JSON.stringify(ports)}, declare: async () => { throw new Error('not declared here'); } }`;

async function project(name: string, file: string, body: string): Promise<string> {
  const root = join(dir, name);
  await mkdir(join(root, 'suite', 'deep'), { recursive: true });
  await writeFile(join(root, file), body);
  return root;
}

async function configError(file: string): Promise<ConfigError> {
  const error = await loadConfigFile(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('the project config', () => {
  it('is found from a suite directory up, and a TypeScript file with defineService loads on this Node', async () => {
    const root = await project(
      'typescript',
      'kubernaut-e2e.config.ts',
      `import { defineConfig, defineService } from '@kubernaut-e2e/setup';
const orders = defineService({ name: 'orders', hostPorts: { orders: 19080 } });
const port: number = 19090;
export default defineConfig({
  projectRoot: 'checkout',
  services: [orders, ${service('billing', { billing: 19090 })}],
  defaults: { runtime: 'sim', keep: 'on-failure', failAfterRestarts: 4 },
  overrides: { orders: { pattern: 'hybrid' }, billing: { hostPorts: { billing: port + 1 } } },
});
`,
    );
    const file = findConfigFile(join(root, 'suite', 'deep'));
    expect(file).toBe(join(root, 'kubernaut-e2e.config.ts'));
    const config = await loadConfigFile(file!);
    expect(config.services.map((s) => s.name)).toEqual(['orders', 'billing']);
    expect(config.projectRoot).toBe(join(root, 'checkout'));
    // The config's defaults, then its override for the service, then what the caller says.
    expect(serviceOptions(config, 'orders', {})).toMatchObject({
      runtime: 'sim',
      keep: 'on-failure',
      pattern: 'hybrid',
      failAfterRestarts: 4,
    });
    expect(serviceOptions(config, 'orders', { pattern: 'standard', keep: undefined })).toMatchObject({
      pattern: 'standard',
      keep: 'on-failure',
    });
    expect(serviceOptions(config, 'billing', {}).hostPorts).toEqual({ billing: 19091 });
  });

  it('loads a TypeScript config that imports a TypeScript module of its own, and leaves nothing beside it', async () => {
    const root = await project(
      'own-modules',
      'kubernaut-e2e.config.ts',
      `import { port } from './ports.ts';
export default { services: [${service('orders', { orders: 19080 })}], overrides: { orders: { hostPorts: { orders: port } } } };
`,
    );
    await writeFile(join(root, 'ports.ts'), 'export const port: number = 19081;\n');
    const config = await loadConfigFile(join(root, 'kubernaut-e2e.config.ts'));
    expect(serviceOptions(config, 'orders').hostPorts).toEqual({ orders: 19081 });
    expect((await readdir(root)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('loads a JavaScript module config too', async () => {
    const root = await project(
      'javascript',
      'kubernaut-e2e.config.mjs',
      `export default { services: [${service('orders', { orders: 19080 })}] };\n`,
    );
    const config = await loadConfigFile(join(root, 'kubernaut-e2e.config.mjs'));
    expect(config.services[0]?.name).toBe('orders');
  });

  it.each([
    [
      'an unknown field',
      `{ services: [${service('a', { a: 1 })}], servics: [] }`,
      'servics',
      'unknown field',
    ],
    [
      'a duplicate service name',
      `{ services: [${service('a', { a: 19001 })}, ${service('a', { b: 19002 })}] }`,
      'services[1]',
      'already declared by services[0]',
    ],
    [
      'an override for a service nobody declared',
      `{ services: [${service('a', { a: 19001 })}], overrides: { b: { pattern: 'dag' } } }`,
      'overrides.b',
      'no service named "b"',
    ],
    [
      'an override of a port the service does not publish',
      `{ services: [${service('a', { a: 19001 })}], overrides: { a: { hostPorts: { metrics: 19002 } } } }`,
      'overrides.a.hostPorts.metrics',
      'publishes no port named "metrics"',
    ],
    [
      'a pattern nobody knows',
      `{ services: [${service('a', { a: 19001 })}], defaults: { pattern: 'fastest' } }`,
      'defaults.pattern',
      '',
    ],
    [
      'a crash-loop restart count that is not a whole number',
      `{ services: [${service('a', { a: 19001 })}], defaults: { failAfterRestarts: 1.5 } }`,
      'defaults.failAfterRestarts',
      'failAfterRestarts must be a whole number of restarts',
    ],
    [
      'a crash-loop restart count of 0',
      `{ services: [${service('a', { a: 19001 })}], defaults: { failAfterRestarts: 0 } }`,
      'defaults.failAfterRestarts',
      'failAfterRestarts must be at least 1',
    ],
    ['no services', '{ services: [] }', 'services', 'at least one service'],
    [
      'a service that is not one',
      `{ services: [{ name: 'a', hostPorts: {} }] }`,
      'services[0]',
      'defineService',
    ],
  ])('refuses %s, naming the file and the field', async (_, body, path, message) => {
    const root = await project(
      `bad-${path.replace(/\W/g, '')}`,
      'kubernaut-e2e.config.ts',
      `export default ${body};\n`,
    );
    const error = await configError(join(root, 'kubernaut-e2e.config.ts'));
    expect(error.message).toContain(join(root, 'kubernaut-e2e.config.ts'));
    const issue = error.issues.find((i) => i.path === path);
    expect(issue, error.message).toBeDefined();
    expect(issue?.message).toContain(message);
  });

  it('loads two services that publish the same host port: kubernaut’s suites reuse theirs, never running together', async () => {
    const root = await project(
      'shared-port',
      'kubernaut-e2e.config.ts',
      `export default { services: [${service('a', { http: 19001 })}, ${service('b', { web: 19001 })}] };\n`,
    );
    const config = await loadConfigFile(join(root, 'kubernaut-e2e.config.ts'));
    expect(config.services.map((s) => s.hostPorts)).toEqual([{ http: 19001 }, { web: 19001 }]);
  });

  it('names the file when it throws, has no default export, or holds a spec defineService refuses', async () => {
    const throws = await project(
      'throws',
      'kubernaut-e2e.config.ts',
      `throw new Error('no checkout here');\n`,
    );
    const thrown = await configError(join(throws, 'kubernaut-e2e.config.ts'));
    expect(thrown.message).toContain(join(throws, 'kubernaut-e2e.config.ts'));
    expect(thrown.message).toContain('no checkout here');
    // Loaded from a temporary JavaScript copy beside it, which no message names and which is gone.
    expect(thrown.message).not.toContain('.mjs');
    expect((await readdir(throws)).filter((f) => f.startsWith('.'))).toEqual([]);

    const bare = await project('no-default', 'kubernaut-e2e.config.ts', `export const services = [];\n`);
    expect((await configError(join(bare, 'kubernaut-e2e.config.ts'))).issues[0]?.path).toBe('default');

    const refused = await project(
      'refused',
      'kubernaut-e2e.config.ts',
      `import { defineConfig, defineService } from '@kubernaut-e2e/setup';
export default defineConfig({ services: [defineService({ name: 'orders', hostPorts: { orders: 19080 },
  images: { orders: { dockerfile: 'docker/orders.Dockerfile' } } })] });
`,
    );
    await symlink(join(dir, 'node_modules'), join(refused, 'node_modules')).catch(() => {});
    const error = await configError(join(refused, 'kubernaut-e2e.config.ts'));
    expect(error.message).toContain(join(refused, 'kubernaut-e2e.config.ts'));
    expect(error.message).toContain('service "orders"');
    expect(error.issues.map((i) => i.path)).toEqual(['images.orders']);
  });

  it('says which file is missing', async () => {
    const error = await configError(join(dir, 'nowhere', 'kubernaut-e2e.config.ts'));
    expect(error.message).toContain(join(dir, 'nowhere', 'kubernaut-e2e.config.ts'));
  });
});
