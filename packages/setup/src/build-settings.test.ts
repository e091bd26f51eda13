import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type LogLine, RunLedger } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineBuildOptions } from './build-settings.js';
import { projectConfigSchema } from './config/config-schema.js';
import { setupOptionsSchema } from './options.js';
import { createToolchain } from './toolchain.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kubernaut-build-settings-'));
  mkdirSync(join(root, 'docker'));
  writeFileSync(join(root, 'docker/api.Dockerfile'), 'FROM scratch\nCOPY main.go /\n');
  writeFileSync(join(root, 'main.go'), 'package main\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/**
 * The argv of the `build` one image runs through the toolchain `createToolchain` makes for these settings (tool
 * probes and cache lookups answered, nothing real runs).
 */
async function buildArgv(
  request: Pick<Parameters<typeof createToolchain>[0], 'runtime' | 'build' | 'env' | 'log'>,
): Promise<readonly string[]> {
  const runner = new ScriptedRunner([
    // No image has the content hash (podman lists JSON, docker IDs).
    {
      match: (argv) => argv[1] === 'images',
      respond: ({ argv }) => ({ stdout: argv[0] === 'podman' ? '[]' : '' }),
      times: Infinity,
    },
    { match: (argv) => argv[1] === 'build', times: 1 },
    {
      match: (argv) => argv[1] === 'image' && argv[2] === 'inspect',
      times: Infinity,
      respond: ({ argv }) => ({
        stdout: JSON.stringify([
          { Id: 'a'.repeat(64), RepoTags: [argv[3]], Labels: {}, Created: '2026-01-01T00:00:00Z' },
        ]),
      }),
    },
    // Tool probes (`podman --version`, `kind version`, …): present, version unread.
    { match: () => true, stdout: '', times: Infinity },
  ]);
  const { toolchain } = await createToolchain({
    projectRoot: root,
    ledger: new RunLedger(),
    coverage: false,
    runner,
    ...request,
  });
  await toolchain.imageBuilder.build({
    serviceName: 'api',
    imageName: 'shop/api',
    dockerfilePath: 'docker/api.Dockerfile',
    tag: 't',
  });
  const build = runner.calls.find((call) => call.argv[1] === 'build')!.argv;
  return build.slice(0, build.indexOf('--file'));
}

describe('build settings reach the engine', () => {
  it('podman: the options’ isolation and noCache become flags, and the explicit isolation beats BUILDAH_ISOLATION', async () => {
    expect(
      await buildArgv({
        runtime: 'podman',
        build: { isolation: 'chroot', noCache: true },
        env: { BUILDAH_ISOLATION: 'oci' },
      }),
    ).toEqual(['podman', 'build', '--force-rm', '--no-cache', '--isolation=chroot']);
  });

  it('podman: without an isolation option, BUILDAH_ISOLATION from the setup’s environment is respected', async () => {
    expect(await buildArgv({ runtime: 'podman', env: { BUILDAH_ISOLATION: 'chroot' } })).toEqual([
      'podman',
      'build',
      '--force-rm',
      '--isolation=chroot',
    ]);
  });

  it('podman: with neither, podman’s own defaults (layer cache on, its isolation): a laptop keeps its setup', async () => {
    expect(await buildArgv({ runtime: 'podman', env: {} })).toEqual(['podman', 'build', '--force-rm']);
  });

  it('docker: noCache applies; BUILDAH_ISOLATION is podman’s and is not read', async () => {
    expect(
      await buildArgv({ runtime: 'docker', build: { noCache: true }, env: { BUILDAH_ISOLATION: 'chroot' } }),
    ).toEqual(['docker', 'build', '--force-rm', '--no-cache']);
  });

  it('docker chosen explicitly with an isolation: a ConfigError naming build.isolation, before anything is built', async () => {
    const error = await buildArgv({ runtime: 'docker', build: { isolation: 'chroot' }, env: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { path: 'build.isolation', message: expect.stringContaining('docker on Linux has none to choose') },
    ]);
  });

  it('docker picked by --runtime auto: the isolation is ignored, and the log says so', () => {
    const lines: LogLine[] = [];
    const options = engineBuildOptions('docker', 'auto', { isolation: 'chroot', noCache: true }, {}, (line) =>
      lines.push(line),
    );
    expect(options).toEqual({ noCache: true });
    expect(lines.map((l) => l.text)).toEqual([
      'build.isolation "chroot" is podman\'s setting; ignored with docker, which --runtime auto picked',
    ]);
  });
});

describe('build settings are validated with the other options', () => {
  it('names the field of an unknown isolation in the setup options and in the project config', () => {
    const options = setupOptionsSchema.safeParse({ build: { isolation: 'vm' } });
    expect(options.success).toBe(false);
    expect(options.error!.issues.map((i) => i.path.join('.'))).toEqual(['build.isolation']);
    const config = projectConfigSchema.safeParse({
      services: [{ name: 's', declare: () => ({}), hostPorts: {} }],
      defaults: { build: { isolation: 'chroot', noCache: 'yes', cache: false } },
    });
    expect(config.success).toBe(false);
    expect(config.error!.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'defaults.build',
      'defaults.build.noCache',
    ]);
  });
});
