import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelledError,
  CommandError,
  ConfigError,
  contentHashTag,
  ImageStoreError,
} from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildImageForKind } from './build-image.js';
import { hashBuildInputs } from './cache/context-hash.js';
import { ContextSelection } from './cache/context-selection.js';
import { createDockerEngine } from './engines/docker-engine.js';
import { createPodmanEngine } from './engines/podman-engine.js';
import { createImageBuilder } from './image-builder.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const ID = 'sha256:4279f2e12eb133af1f87b23800b852cc964b2eb4a9fca10fa8568303231061a5';
let root: string;

/** What `podman image inspect` prints, in the recorded format, for one image. */
const inspectJson = (refs: string[], hash: string, id = ID.slice(7), created = '2026-11-27T17:07:56Z') =>
  JSON.stringify([
    {
      Id: id,
      RepoTags: refs,
      Created: created,
      Size: 10,
      Labels: { 'io.kubernaut-e2e.content-hash': hash },
      Config: { Labels: { 'io.kubernaut-e2e.content-hash': hash } },
    },
  ]);

/** What `podman images --filter label=… --format json` prints (recorded format: one entry per name). */
const listJson = (refs: string[], hash: string) =>
  JSON.stringify(
    refs.map(() => ({
      Id: ID.slice(7),
      RepoTags: null,
      Labels: { 'io.kubernaut-e2e.content-hash': hash },
      Names: refs,
      Created: 1795800272,
      CreatedAt: '2026-11-27T17:24:32Z',
    })),
  );

function recordingLedger() {
  const entries: { kind: string; name: string; dispose: () => Promise<void> }[] = [];
  return {
    entries,
    record(entry: { kind: string; name: string; dispose: () => Promise<void> }) {
      entries.push(entry);
      return entry as never;
    },
  };
}

const config = {
  serviceName: 'gateway',
  imageName: 'kubernaut/gateway',
  dockerfilePath: 'docker/gateway.Dockerfile',
  consumer: 'gateway-e2e',
};
const env = {}; // no E2E_COVERAGE, no mode variables

/** The label hash: the Dockerfile, build arguments, coverage and the one context file it copies (`main.go`). */
async function expectedHash(over: { buildArgs?: Record<string, string>; enableCoverage?: boolean } = {}) {
  const { hash } = await hashBuildInputs({
    dockerfile: join(root, 'docker/gateway.Dockerfile'),
    context: root,
    buildArgs: over.buildArgs ?? { GOARCH: 'amd64' },
    enableCoverage: over.enableCoverage ?? false,
    select: new ContextSelection(['main.go']),
  });
  return hash;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubernaut-build-test-'));
  await mkdir(join(root, 'docker'));
  await writeFile(join(root, 'docker/gateway.Dockerfile'), 'FROM scratch\nCOPY main.go /\n');
  await writeFile(join(root, 'main.go'), 'package main\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('buildImageForKind', () => {
  it('builds when no image has the content hash: exact argv, localhost/ ref, recorded in the ledger', async () => {
    const hash = await expectedHash();
    const ref = `localhost/kubernaut/gateway:${contentHashTag('gateway-e2e', hash)}`;
    const runner = new ScriptedRunner([
      {
        argv: [
          'podman',
          'images',
          '--filter',
          `label=io.kubernaut-e2e.content-hash=${hash}`,
          '--format',
          'json',
        ],
        stdout: '[]',
      },
      {
        argv: [
          'podman',
          'build',
          '--force-rm',
          '--file',
          join(root, 'docker/gateway.Dockerfile'),
          '--tag',
          ref,
          '--label',
          `io.kubernaut-e2e.content-hash=${hash}`,
          '--label',
          'io.kubernaut-e2e.service=gateway',
          '--label',
          'io.kubernaut-e2e.run=run-1',
          '--build-arg',
          'GOARCH=amd64',
          root,
        ],
      },
      { argv: ['podman', 'image', 'inspect', ref], stdout: inspectJson([ref], hash) },
    ]);
    const ledger = recordingLedger();
    const built = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
      ledger,
      runId: 'run-1',
      hostArch: 'x64',
    });
    expect(built).toEqual({ ref, id: ID, cached: false });
    expect(ledger.entries.map((e) => [e.kind, e.name])).toEqual([['image', ref]]);
    expect(runner.calls[1]!.options.logSource).toBe('build:gateway');
    runner.assertAllUsed();
  });

  it('follows the host architecture and adds GOFLAGS=-cover when E2E_COVERAGE=true', async () => {
    const hash = await expectedHash({
      buildArgs: { GOARCH: 'arm64', GOFLAGS: '-cover' },
      enableCoverage: true,
    });
    const ref = `localhost/kubernaut/gateway:${contentHashTag('gateway-e2e', hash)}`;
    const runner = new ScriptedRunner([
      { match: (argv) => argv[1] === 'images', stdout: '[]' },
      {
        match: (argv) => argv[1] === 'build',
        description: 'podman build',
      },
      { argv: ['podman', 'image', 'inspect', ref], stdout: inspectJson([ref], hash) },
    ]);
    await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env: { E2E_COVERAGE: 'true' },
      hostArch: 'arm64',
    });
    const build = runner.calls[1]!.argv;
    expect(build).toContain('GOARCH=arm64');
    expect(build).toContain('GOFLAGS=-cover');
    expect(build[build.indexOf('GOFLAGS=-cover') - 1]).toBe('--build-arg');
  });

  it('returns the cached image without building when the requested ref already has the hash', async () => {
    const hash = await expectedHash();
    const ref = `localhost/kubernaut/gateway:${contentHashTag('gateway-e2e', hash)}`;
    const runner = new ScriptedRunner([
      {
        argv: [
          'podman',
          'images',
          '--filter',
          `label=io.kubernaut-e2e.content-hash=${hash}`,
          '--format',
          'json',
        ],
        stdout: listJson([ref], hash),
      },
    ]);
    const ledger = recordingLedger();
    const built = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
      ledger,
      hostArch: 'x64',
    });
    expect(built).toEqual({ ref, id: ID, cached: true });
    expect(ledger.entries).toEqual([]); // never removes a cached image
    runner.assertAllUsed();
  });

  it('rebuilds when a file the Dockerfile copies changes, and not when any other context file does', async () => {
    const lookups: string[] = [];
    const built = new Set<string>();
    // The store holds whatever this test built: a lookup hits once an image with that hash was built.
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[1] === 'images',
        times: Infinity,
        respond: ({ argv }) => {
          const hash = argv[3]!.split('=').pop()!;
          lookups.push(hash);
          const ref = `localhost/kubernaut/gateway:${contentHashTag('gateway-e2e', hash)}`;
          return { stdout: built.has(hash) ? listJson([ref], hash) : '[]' };
        },
      },
      {
        match: (argv) => argv[1] === 'build',
        times: Infinity,
        respond: ({ argv }) => {
          built.add(argv[argv.indexOf('--tag') + 3]!.split('=').pop()!);
          return {};
        },
      },
      {
        match: (argv) => argv[1] === 'image' && argv[2] === 'inspect',
        times: Infinity,
        respond: ({ argv }) => ({ stdout: inspectJson([argv[3]!], 'h') }),
      },
    ]);
    const build = () =>
      buildImageForKind(config, {
        engine: createPodmanEngine(runner),
        projectRoot: root,
        env,
        hostArch: 'x64',
      });
    const first = await build();
    expect(first.cached).toBe(false);

    // Another service's source and a document in the same context: not copied, so no rebuild.
    await mkdir(join(root, 'cmd/datastorage'), { recursive: true });
    await writeFile(join(root, 'cmd/datastorage/main.go'), 'package main // changed\n');
    await writeFile(join(root, 'README.md'), 'docs\n');
    expect(await build()).toEqual({ ...first, cached: true });

    // The copied file: a new hash, a new ref, a real build.
    await writeFile(join(root, 'main.go'), 'package main // one line changed\n');
    const second = await build();
    expect(second.cached).toBe(false);
    expect(second.ref).not.toBe(first.ref);
    expect(runner.calls.filter((c) => c.argv[1] === 'build')).toHaveLength(2);
    expect(new Set(lookups).size).toBe(2);
  });

  it('tags a cached image built for another consumer, and records only the new tag', async () => {
    const hash = await expectedHash();
    const other = `localhost/kubernaut/gateway:${contentHashTag('notification-e2e', hash)}`;
    const ref = `localhost/kubernaut/gateway:${contentHashTag('gateway-e2e', hash)}`;
    const runner = new ScriptedRunner([
      {
        argv: [
          'podman',
          'images',
          '--filter',
          `label=io.kubernaut-e2e.content-hash=${hash}`,
          '--format',
          'json',
        ],
        stdout: listJson([other], hash),
      },
      { argv: ['podman', 'tag', other, ref] },
    ]);
    const ledger = recordingLedger();
    const built = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
      ledger,
      hostArch: 'x64',
    });
    expect(built).toEqual({ ref, id: ID, cached: true });
    expect(ledger.entries.map((e) => e.name)).toEqual([ref]);
    runner.assertAllUsed();
  });

  it('uses a fixed tag and the docker ref form (no localhost/) with the docker engine', async () => {
    const runner = new ScriptedRunner([
      { match: (argv) => argv[1] === 'images', stdout: '' },
      {
        match: (argv) => argv[1] === 'build' && argv.includes('kubernaut/gateway:e2e'),
        description: 'docker build',
      },
      {
        argv: ['docker', 'image', 'inspect', 'kubernaut/gateway:e2e'],
        stdout: inspectJson(['kubernaut/gateway:e2e'], 'h', ID),
      },
    ]);
    const built = await buildImageForKind(
      { ...config, tag: 'e2e' },
      { engine: createDockerEngine(runner), projectRoot: root, env },
    );
    expect(built.ref).toBe('kubernaut/gateway:e2e');
    expect(runner.calls[1]!.argv[0]).toBe('docker');
    // The default deadline of a build (the docker CLI is stopped by the runner at it).
    expect(runner.calls[1]!.options.timeoutMs).toBe(15 * 60 * 1000);
  });

  it('names the image, the service, the command and stderr when the build fails', async () => {
    const runner = new ScriptedRunner([
      { match: (argv) => argv[1] === 'images', stdout: '[]' },
      {
        match: (argv) => argv[1] === 'build',
        stderr: 'STEP 2/2: COPY main.go /\nError: no such file main.go',
        exitCode: 125,
      },
    ]);
    const error = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /building image localhost\/kubernaut\/gateway:gateway-e2e-[0-9a-f]+ for service gateway/,
    );
    expect(message).toContain('podman build');
    expect(message).toContain('Error: no such file main.go');
  });

  it('removes what a failed podman build committed, and nothing of another build or run', async () => {
    const hash = await expectedHash();
    const ref = `localhost/kubernaut/gateway:${contentHashTag('gateway-e2e', hash)}`;
    // Recorded: podman prints `--> <id>` after each step it commits; the third RUN fails.
    const stdout = fixture('podman-build-failed-step.stdout.txt');
    const [first, second] = [...stdout.matchAll(/^--> ([0-9a-f]+)$/gm)].map((m) => m[1]!);
    const untagged = (id: string, labels: Record<string, string>) => ({
      Id: id.padEnd(64, '0'),
      RepoTags: null,
      Names: null,
      Labels: labels,
      Dangling: true,
      Created: 1795803043,
    });
    const ours = { 'io.kubernaut-e2e.content-hash': hash, 'io.kubernaut-e2e.run': 'run-1' };
    const untaggedInspect = (id: string) => ({ Id: id.padEnd(64, '0'), RepoTags: [], Labels: ours });
    // The same run's sibling build (another content hash) is still running: its images must stay.
    const sibling = untagged('abcdef', {
      'io.kubernaut-e2e.content-hash': 'other',
      'io.kubernaut-e2e.run': 'run-1',
    });
    const listings = [
      JSON.stringify([untagged(second!, ours), untagged(first!, ours), sibling]),
      JSON.stringify([sibling]),
    ];
    const runner = new ScriptedRunner([
      {
        argv: [
          'podman',
          'images',
          '--filter',
          `label=io.kubernaut-e2e.content-hash=${hash}`,
          '--format',
          'json',
        ],
        stdout: '[]',
      },
      {
        match: (argv) => argv[1] === 'build',
        stdout,
        stderr: fixture('podman-build-failed-step.stderr.txt'),
        exitCode: 3,
      },
      // Its tag was never created.
      {
        argv: ['podman', 'image', 'inspect', ref],
        stderr: `Error: inspecting object: ${ref}: image not known`,
        exitCode: 125,
      },
      // Each is checked to be still only this build's (untagged) before it is removed.
      { argv: ['podman', 'image', 'inspect', second!], stdout: JSON.stringify([untaggedInspect(second!)]) },
      { argv: ['podman', 'image', 'inspect', first!], stdout: JSON.stringify([untaggedInspect(first!)]) },
      { argv: ['podman', 'rmi', second!] },
      { argv: ['podman', 'rmi', first!] },
      {
        argv: ['podman', 'images', '--filter', 'label=io.kubernaut-e2e.run=run-1', '--format', 'json'],
        times: 2,
        respond: () => ({ stdout: listings.shift()! }),
      },
      // The same images again, found by their label: already gone is fine.
      {
        argv: ['podman', 'rmi', `sha256:${second!.padEnd(64, '0')}`],
        stderr: 'Error: image not known',
        exitCode: 1,
      },
      {
        argv: ['podman', 'rmi', `sha256:${first!.padEnd(64, '0')}`],
        stderr: 'Error: image not known',
        exitCode: 1,
      },
    ]);
    const error = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
      runId: 'run-1',
      hostArch: 'x64',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as Error).message).toContain('building at STEP "RUN echo failing && exit 3"');
    runner.assertAllUsed();
    expect(runner.argvs.some((a) => a[1] === 'rmi' && a[2]!.startsWith('sha256:abcdef'))).toBe(false);
  });

  it("removes docker's unlabelled intermediate images of a failed build, read from its output", async () => {
    // Recorded legacy-builder output: ` ---> <id>` after FROM is the base image (not ours); after a RUN, ours.
    const stdout = fixture('docker-build-legacy-failed-step.stdout.txt');
    const runner = new ScriptedRunner([
      { match: (argv) => argv[1] === 'images', stdout: '', times: 2 },
      {
        match: (argv) => argv[1] === 'build',
        stdout,
        stderr: fixture('docker-build-legacy-failed-step.stderr.txt'),
        exitCode: 3,
      },
      {
        argv: ['docker', 'image', 'inspect', 'kubernaut/gateway:e2e'],
        stderr: 'Error: No such image: kubernaut/gateway:e2e',
        exitCode: 1,
      },
      // docker's inspect of an untagged intermediate: `RepoTags: []`, no labels.
      {
        argv: ['docker', 'image', 'inspect', 'e338978b5817'],
        stdout: JSON.stringify([
          { Id: `sha256:${'e338978b5817'.padEnd(64, '0')}`, RepoTags: [], Config: { Labels: null } },
        ]),
      },
      {
        argv: ['docker', 'image', 'inspect', '53958b4f25c3'],
        stdout: JSON.stringify([
          { Id: `sha256:${'53958b4f25c3'.padEnd(64, '0')}`, RepoTags: [], Config: { Labels: null } },
        ]),
      },
      { argv: ['docker', 'rmi', 'e338978b5817'] },
      { argv: ['docker', 'rmi', '53958b4f25c3'] },
    ]);
    const ledger = recordingLedger();
    const error = await buildImageForKind(
      { ...config, tag: 'e2e' },
      { engine: createDockerEngine(runner), projectRoot: root, env, ledger, runId: 'run-1' },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toContain('returned a non-zero code: 3');
    runner.assertAllUsed();
    expect(runner.argvs.some((a) => a.includes('3549983add62'))).toBe(false);
  });

  it('keeps the ledger record of a build current with each image it commits (for a later `down`)', async () => {
    const hash = await expectedHash();
    const ref = `localhost/kubernaut/gateway:${contentHashTag('gateway-e2e', hash)}`;
    const live: { name: string; resource?: unknown; removeCommand?: readonly string[] }[] = [];
    const ledger = {
      runId: 'run-7',
      record(entry: { name: string; resource?: unknown; removeCommand?: readonly string[] }) {
        live.push(entry);
        return entry as never;
      },
      release(entry: unknown) {
        live.splice(live.indexOf(entry as never), 1);
      },
    };
    const runner = new ScriptedRunner([
      { match: (argv) => argv[1] === 'images', stdout: '[]' },
      {
        match: (argv) => argv[1] === 'build',
        stdout: 'STEP 1/3: FROM base\nSTEP 2/3: RUN make\n--> 3a6645ab723\nCOMMIT x\n--> b1aacee0529',
      },
      { argv: ['podman', 'image', 'inspect', ref], stdout: inspectJson([ref], hash) },
    ]);
    await buildImageForKind(config, { engine: createPodmanEngine(runner), projectRoot: root, env, ledger });
    expect(runner.argvs[1]).toContain('io.kubernaut-e2e.run=run-7');
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({
      name: ref,
      removeCommand: ['podman', 'rmi', '-f', ref, '3a6645ab723', 'b1aacee0529'],
      resource: {
        tool: 'podman',
        details: { runId: 'run-7', contentHash: hash, intermediates: '3a6645ab723,b1aacee0529' },
      },
    });
  });

  it('reports a broken image store at the cache lookup as what it is (KE_IMAGE_STORE), not as a failed build', async () => {
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[1] === 'images',
        stderr: fixture('podman-images-filter-broken-manifest.stderr.txt'),
        exitCode: 125,
      },
    ]);
    const error = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageStoreError);
    expect((error as Error).message).not.toContain('building image');
    expect((error as Error).message).toContain(
      'podman rmi -f 5977e367fd88598a9c794c12e13cd29f8b79abfed7fe357243164b0ed2d8c85d',
    );
    expect(runner.argvs.some((a) => a[1] === 'build')).toBe(false);
  });

  it('does not start when already cancelled', async () => {
    const runner = new ScriptedRunner([]);
    const controller = new AbortController();
    controller.abort();
    const error = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(runner.calls).toHaveLength(0);
  });

  it('never takes an untagged (intermediate or half-built) image with the content hash as a cache hit', async () => {
    const hash = await expectedHash();
    const ref = `localhost/kubernaut/gateway:${contentHashTag('gateway-e2e', hash)}`;
    // Recorded: podman lists a dangling intermediate of a failed build with no Names and RepoTags null.
    const dangling = JSON.stringify([
      {
        Id: ID.slice(7),
        ParentId: '',
        RepoTags: null,
        RepoDigests: [],
        Labels: { 'io.kubernaut-e2e.content-hash': hash },
        Dangling: true,
        Created: 1795803043,
        CreatedAt: '2026-11-27T18:10:43Z',
      },
    ]);
    const runner = new ScriptedRunner([
      { match: (argv) => argv[1] === 'images', stdout: dangling },
      { match: (argv) => argv[1] === 'build' && argv.includes(ref) },
      { argv: ['podman', 'image', 'inspect', ref], stdout: inspectJson([ref], hash) },
    ]);
    const built = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
      hostArch: 'x64',
    });
    expect(built).toEqual({ ref, id: ID, cached: false });
    runner.assertAllUsed();
  });

  it('records the ref before building, so a build cancelled after podman committed the image is removed', async () => {
    const hash = await expectedHash();
    const ref = `localhost/kubernaut/gateway:${contentHashTag('gateway-e2e', hash)}`;
    const controller = new AbortController();
    // The image shows up only after the build "committed" it (here: once cancelled, as a late commit would).
    let committed = false;
    const runner = new ScriptedRunner([
      {
        argv: [
          'podman',
          'images',
          '--filter',
          `label=io.kubernaut-e2e.content-hash=${hash}`,
          '--format',
          'json',
        ],
        stdout: '[]',
      },
      { match: (argv) => argv[1] === 'build', hang: true },
      {
        argv: ['podman', 'image', 'inspect', ref],
        times: 2,
        respond: () =>
          committed
            ? {
                stdout: JSON.stringify([
                  { Id: ID.slice(7), RepoTags: [ref], Labels: { 'io.kubernaut-e2e.run': 'run-1' } },
                ]),
              }
            : { stderr: `Error: inspecting object: ${ref}: image not known`, exitCode: 125 },
      },
      {
        argv: ['podman', 'images', '--filter', 'label=io.kubernaut-e2e.run=run-1', '--format', 'json'],
        times: 2,
        stdout: '[]',
      },
      {
        argv: ['podman', 'rmi', ref],
        respond: () => {
          committed = false;
          return {};
        },
      },
    ]);
    const ledger = recordingLedger();
    const building = buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
      ledger,
      runId: 'run-1',
      signal: controller.signal,
    });
    // Wait for the state the test is about: the build has been started (not for time).
    await runner.waitForCall((call) => call.argv[1] === 'build');
    controller.abort();
    await expect(building).rejects.toBeInstanceOf(CancelledError);
    expect(ledger.entries.map((e) => [e.kind, e.name])).toEqual([['image', ref]]);
    committed = true;
    await ledger.entries[0]!.dispose();
    runner.assertAllUsed();
  });

  it('is reachable through the ImageBuilder port', async () => {
    const runner = new ScriptedRunner([]);
    const builder = createImageBuilder({
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env: { IMAGE_REGISTRY: 'quay.io/kubernaut', IMAGE_TAG: 'v1' },
    });
    await expect(builder.build(config)).resolves.toEqual({
      ref: 'quay.io/kubernaut/kubernaut/gateway:v1',
      id: '',
      cached: true,
    });
    expect(runner.calls).toHaveLength(0);
  });
});

describe('buildImageForKind modes', () => {
  it('registry mode returns <registry>/<imageName>:<tag> and runs nothing', async () => {
    const runner = new ScriptedRunner([]);
    const built = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env: { IMAGE_REGISTRY: 'registry.local:5000', IMAGE_TAG: 'pr-42' },
    });
    expect(built).toEqual({ ref: 'registry.local:5000/kubernaut/gateway:pr-42', id: '', cached: true });
    expect(runner.calls).toHaveLength(0);
  });

  it('registry mode needs both variables', async () => {
    const runner = new ScriptedRunner([]);
    const error = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env: { IMAGE_REGISTRY: 'quay.io/k' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe('IMAGE_TAG');
    expect(runner.calls).toHaveLength(0);
  });

  it('CI artifact mode verifies the image exists and never builds', async () => {
    const ref = 'localhost/kubernaut/gateway:ci-123';
    const runner = new ScriptedRunner([
      { argv: ['podman', 'image', 'inspect', ref], stdout: inspectJson([ref], 'h') },
    ]);
    const built = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env: { KUBERNAUT_CI_ARTIFACT_TAG: 'ci-123' },
    });
    expect(built).toEqual({ ref, id: ID, cached: true });
    runner.assertAllUsed();
  });

  it('CI artifact mode fails clearly when the image is missing', async () => {
    const ref = 'localhost/kubernaut/gateway:ci-123';
    const runner = new ScriptedRunner([
      {
        argv: ['podman', 'image', 'inspect', ref],
        stdout: '[]',
        stderr: `Error: inspecting object: ${ref}: image not known`,
        exitCode: 125,
      },
    ]);
    const error = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env: { KUBERNAUT_CI_ARTIFACT_TAG: 'ci-123' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(ref);
    expect((error as ConfigError).issues[0]!.path).toBe('KUBERNAUT_CI_ARTIFACT_TAG');
    expect(runner.argvs.some((argv) => argv[1] === 'build')).toBe(false);
  });
});

describe('buildImageForKind bad input is refused before any command runs', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'a Dockerfile outside the project root',
      { dockerfilePath: '../elsewhere/Dockerfile' },
      'dockerfilePath',
    ],
    ['an absolute Dockerfile outside the root', { dockerfilePath: '/etc/Dockerfile' }, 'dockerfilePath'],
    ['a build context outside the project root', { buildContextPath: '../..' }, 'buildContextPath'],
    ['an image name with upper case', { imageName: 'Kubernaut/Gateway' }, 'imageName'],
    ['an image name with a leading -', { imageName: '-kubernaut/gateway' }, 'imageName'],
    ['an empty service name', { serviceName: '' }, 'serviceName'],
    ['a bad tag', { tag: '-x' }, 'tag'],
    ['a bad build-arg name', { buildArgs: { 'A-B': '1' } }, 'buildArgs'],
  ];
  it.each(cases)('refuses %s, naming the field', async (_what, override, field) => {
    const runner = new ScriptedRunner([]);
    const error = await buildImageForKind(
      { ...config, ...override },
      { engine: createPodmanEngine(runner), projectRoot: root, env },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path).join(' ')).toContain(field);
    expect(runner.calls).toHaveLength(0);
  });

  it('refuses a Dockerfile that does not exist, naming the field', async () => {
    const runner = new ScriptedRunner([]);
    const error = await buildImageForKind(
      { ...config, dockerfilePath: 'docker/missing.Dockerfile' },
      { engine: createPodmanEngine(runner), projectRoot: root, env },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe('dockerfilePath');
    expect(runner.calls).toHaveLength(0);
  });

  it('refuses goModCache with docker before running anything', async () => {
    const runner = new ScriptedRunner([]);
    const error = await buildImageForKind(
      { ...config, goModCache: '/root/go/pkg/mod' },
      { engine: createDockerEngine(runner), projectRoot: root, env },
    ).catch((e: unknown) => e);
    expect((error as ConfigError).issues[0]!.path).toBe('goModCache');
    expect(runner.calls).toHaveLength(0);
  });

  it('refuses a malformed mode variable', async () => {
    const runner = new ScriptedRunner([]);
    const error = await buildImageForKind(config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env: { KUBERNAUT_CI_ARTIFACT_TAG: 'bad tag!' },
    }).catch((e: unknown) => e);
    expect((error as ConfigError).issues[0]!.path).toBe('KUBERNAUT_CI_ARTIFACT_TAG');
    expect(runner.calls).toHaveLength(0);
  });
});
