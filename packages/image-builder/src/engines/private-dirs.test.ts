import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CommandError, RunLedger, type RunOptions } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDockerEngine } from './docker-engine.js';
import { createPodmanEngine } from './podman-engine.js';

/*
 * The podman engine's private directories, each in the run's ledger while its command runs and removed after it
 * whatever its end:
 * - podman copies each layer into a file in $TMPDIR while it saves or pushes, and a podman stopped mid-copy leaves
 *   that file behind (the fault matrix found one after a cancelled load): saves and pushes get a private TMPDIR.
 * - a podman build writing to a pipe dies of SIGPIPE once this process is killed, leaving its working containers
 *   (the crash-recovery test found them): its output goes to files in a private directory.
 */
const fixture = (name: string) => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');
const buildRequest = {
  ref: 'localhost/kubernaut/gateway:gateway-e2e-0123456789ab',
  dockerfile: '/src/docker/gateway.Dockerfile',
  context: '/src',
  buildArgs: {},
  labels: {},
};

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'kubernaut-scratch-test-'));
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

/** What a scripted podman saw of its TMPDIR while it ran, leaving a layer copy there as podman does. */
function layerCopier(ledger: RunLedger, seen: { dir?: string; inLedger?: boolean }[], exitCode = 0) {
  return (call: { options: RunOptions }) => {
    const dir = call.options.env?.TMPDIR;
    if (dir && existsSync(dir)) writeFileSync(join(dir, '285492717'), 'layer');
    seen.push({
      ...(dir ? { dir } : {}),
      inLedger: ledger.entries.some((e) => e.kind === 'temp-dir' && e.name === dir),
    });
    return { exitCode, ...(exitCode ? { stderr: 'Error: writing blob: broken pipe' } : {}) };
  };
}

it("podman's save, push and push-as run with a private TMPDIR inside $TMPDIR, in the ledger until it is removed", async () => {
  const ledger = new RunLedger();
  const seen: { dir?: string; inLedger?: boolean }[] = [];
  const runner = new ScriptedRunner([
    {
      match: (argv) => argv[1] === 'save' || argv[1] === 'push',
      respond: layerCopier(ledger, seen),
      times: 3,
    },
  ]);
  const engine = createPodmanEngine(runner, { ledger, env: { TMPDIR: parent } });
  await engine.save(['localhost/a:1'], join(parent, 'images.tar'));
  await engine.push('quay.io/k/a:1');
  await engine.pushAs!('localhost/a:1', 'localhost:5001/a:1');

  expect(seen).toHaveLength(3);
  for (const { dir, inLedger } of seen) {
    expect(dirname(dir!)).toBe(parent);
    expect(inLedger).toBe(true);
  }
  expect(new Set(seen.map((s) => s.dir)).size).toBe(3);
  expect(await readdir(parent)).toEqual([]);
  expect(ledger.entries).toEqual([]);
});

it('removes the private TMPDIR, and what podman left in it, when the save fails', async () => {
  const ledger = new RunLedger();
  const seen: { dir?: string }[] = [];
  const runner = new ScriptedRunner([
    { match: (argv) => argv[1] === 'save', respond: layerCopier(ledger, seen, 125) },
  ]);
  const engine = createPodmanEngine(runner, { ledger, env: { TMPDIR: parent } });
  await expect(engine.save(['localhost/a:1'], '/elsewhere/images.tar')).rejects.toBeInstanceOf(CommandError);
  expect(seen[0]!.dir).toMatch(/kubernaut-e2e-scratch-/);
  expect(await readdir(parent)).toEqual([]);
  expect(ledger.entries).toEqual([]);
});

it("docker's save and push keep the caller's TMPDIR: the docker CLI copies no layers itself", async () => {
  const runner = new ScriptedRunner([
    { argv: ['docker', 'save', '-o', '/tmp/x/images.tar', 'kubernaut/a:1'] },
    { argv: ['docker', 'push', 'registry.example.com/kubernaut/a:1'] },
  ]);
  const engine = createDockerEngine(runner, { env: { TMPDIR: parent } });
  await engine.save(['kubernaut/a:1'], '/tmp/x/images.tar');
  await engine.push('registry.example.com/kubernaut/a:1');
  expect(runner.calls.map((c) => c.options.env?.TMPDIR)).toEqual([undefined, undefined]);
  runner.assertAllUsed();
});

it("a podman build's output goes to files in a private directory, in the ledger while it runs, removed after", async () => {
  const ledger = new RunLedger();
  const seen: { dir?: string; exists: boolean; inLedger: boolean }[] = [];
  const runner = new ScriptedRunner([
    {
      match: (argv) => argv[1] === 'build',
      respond: ({ options }) => {
        const dir = options.outputDir;
        seen.push({
          ...(dir ? { dir } : {}),
          exists: dir !== undefined && existsSync(dir),
          inLedger: ledger.entries.some((e) => e.kind === 'temp-dir' && e.name === dir),
        });
        return { lines: ['STEP 1/2: FROM scratch'] };
      },
    },
    { argv: ['podman', 'image', 'inspect', buildRequest.ref], stdout: fixture('podman-image-inspect.json') },
  ]);
  const engine = createPodmanEngine(runner, { ledger, env: { TMPDIR: parent } });
  await engine.build(buildRequest);

  expect(seen).toHaveLength(1);
  expect(dirname(seen[0]!.dir!)).toBe(parent);
  expect(seen[0]).toMatchObject({ exists: true, inLedger: true });
  expect(await readdir(parent)).toEqual([]);
  expect(ledger.entries).toEqual([]);
  runner.assertAllUsed();
});

it('a docker build keeps its pipes: the docker CLI is only a client, and the daemon cleans up when it goes', async () => {
  const runner = new ScriptedRunner([
    { match: (argv) => argv[1] === 'build', respond: () => ({}) },
    {
      argv: ['docker', 'image', 'inspect', 'kubernaut/gateway:1'],
      stdout: fixture('docker-image-inspect.json'),
    },
  ]);
  await createDockerEngine(runner, { env: { TMPDIR: parent } }).build({
    ...buildRequest,
    ref: 'kubernaut/gateway:1',
  });
  expect(runner.calls[0]!.options.outputDir).toBeUndefined();
  runner.assertAllUsed();
});
