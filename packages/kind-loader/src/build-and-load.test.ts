import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, RunLedger } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAndLoadImageToKind } from './build-and-load.js';

const REF = 'localhost/kubernaut/datastorage:e2e';
const ID = `sha256:${'c'.repeat(64)}`;
let root: string;
let ledger: RunLedger;

afterEach(async () => {
  await ledger.cleanup();
  await rm(root, { recursive: true, force: true });
});

describe('buildAndLoadImageToKind', () => {
  it('builds, then loads into the existing cluster, and returns the built image', async () => {
    root = mkdtempSync(join(tmpdir(), 'kubernaut-bal-'));
    writeFileSync(join(root, 'Dockerfile'), 'FROM scratch\n');
    ledger = new RunLedger();
    let archive = '';
    const runner = new ScriptedRunner([
      { match: (argv) => argv[1] === 'images', stdout: '[]' },
      { match: (argv) => argv[1] === 'build' && argv.includes(REF), description: 'podman build' },
      {
        argv: ['podman', 'image', 'inspect', REF],
        stdout: JSON.stringify([{ Id: ID.slice(7), RepoTags: [REF] }]),
      },
      {
        match: (argv) => argv[1] === 'save',
        respond: ({ argv }) => {
          archive = argv[argv.indexOf('-o') + 1]!;
          writeFileSync(archive, 'tar');
          return {};
        },
      },
      {
        match: (argv) => argv[0] === 'kind',
        env: { KIND_EXPERIMENTAL_PROVIDER: 'podman' },
        respond: ({ argv }) => {
          expect(argv).toEqual(['kind', 'load', 'image-archive', archive, '--name', 'gateway-e2e']);
          return {};
        },
      },
    ]);
    const built = await buildAndLoadImageToKind(
      {
        serviceName: 'datastorage',
        imageName: 'kubernaut/datastorage',
        dockerfilePath: 'Dockerfile',
        tag: 'e2e',
      },
      {
        engine: createPodmanEngine(runner),
        runner,
        ledger,
        projectRoot: root,
        env: {},
        clusterName: 'gateway-e2e',
      },
    );
    expect(built).toEqual({ ref: REF, id: ID, cached: false });
    expect(archive).toMatch(/datastorage\.tar$/);
    expect(existsSync(archive)).toBe(false);
    runner.assertAllUsed();
  });

  it('refuses a bad cluster name before building anything', async () => {
    root = mkdtempSync(join(tmpdir(), 'kubernaut-bal-'));
    writeFileSync(join(root, 'Dockerfile'), 'FROM scratch\n');
    ledger = new RunLedger();
    const runner = new ScriptedRunner([]);
    const error = await buildAndLoadImageToKind(
      { serviceName: 'datastorage', imageName: 'kubernaut/datastorage', dockerfilePath: 'Dockerfile' },
      {
        engine: createPodmanEngine(runner),
        runner,
        ledger,
        projectRoot: root,
        env: {},
        clusterName: 'Bad_Cluster',
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe('clusterName');
    expect(runner.calls).toHaveLength(0);
  });
});
