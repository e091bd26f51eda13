import { readFileSync } from 'node:fs';
import { CommandError, ConfigError, ImageStoreError, type LogLine } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { createEngine } from './create-engine.js';
import { createDockerEngine } from './docker-engine.js';
import { createPodmanEngine } from './podman-engine.js';

const fixture = (name: string) => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');
const podmanInspect = fixture('podman-image-inspect.json');
const podmanMissing = fixture('podman-image-inspect-missing.stderr.txt');
const dockerInspect = fixture('docker-image-inspect.json');
const podmanList = fixture('podman-images-filter-label.json');
const PODMAN_ID = 'sha256:4279f2e12eb133af1f87b23800b852cc964b2eb4a9fca10fa8568303231061a5';

const request = {
  ref: 'localhost/kubernaut/gateway:gateway-e2e-0123456789ab',
  dockerfile: '/src/docker/gateway.Dockerfile',
  context: '/src',
  buildArgs: { GOARCH: 'amd64', GOFLAGS: '-cover' },
  labels: { 'io.kubernaut-e2e.content-hash': 'abc' },
};

describe('podman engine argv', () => {
  it('builds with file, tag, labels, build args and read-only mounts, then reads the ID back', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [
          'podman',
          'build',
          '--force-rm',
          '--file',
          '/src/docker/gateway.Dockerfile',
          '--tag',
          request.ref,
          '--label',
          'io.kubernaut-e2e.content-hash=abc',
          '--build-arg',
          'GOARCH=amd64',
          '--build-arg',
          'GOFLAGS=-cover',
          '--volume',
          '/home/u/go/pkg/mod:/go/pkg/mod:ro',
          '/src',
        ],
      },
      { argv: ['podman', 'image', 'inspect', request.ref], stdout: podmanInspect },
    ]);
    const engine = createPodmanEngine(runner);
    const built = await engine.build({
      ...request,
      readOnlyMounts: [{ source: '/home/u/go/pkg/mod', target: '/go/pkg/mod' }],
      timeoutMs: 60_000,
    });
    expect(built.id).toBe(PODMAN_ID);
    // podman's deadline is the engine's own: at it, the RUN step is stopped, never podman (see build-process).
    expect(runner.calls[0]!.options.timeoutMs).toBeUndefined();
    runner.assertAllUsed();
  });

  it('inspects a ref into id, every name, labels and size (recorded podman 4.3 output)', async () => {
    const runner = new ScriptedRunner([
      { argv: ['podman', 'image', 'inspect', 'localhost/kubernaut-e2e-test/q:2'], stdout: podmanInspect },
    ]);
    const info = await createPodmanEngine(runner).inspect('localhost/kubernaut-e2e-test/q:2');
    expect(info).toEqual({
      id: PODMAN_ID,
      refs: ['localhost/kubernaut-e2e-test/q:1', 'localhost/kubernaut-e2e-test/q:2'],
      labels: { 'io.buildah.version': '1.28.2', 'io.kubernaut-e2e.content-hash': 'zz' },
      sizeBytes: 3885,
    });
  });

  it('answers undefined for an image podman does not know (recorded stderr, exit 125)', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['podman', 'image', 'inspect', 'localhost/nope:1'],
        stdout: '[]',
        stderr: podmanMissing,
        exitCode: 125,
      },
    ]);
    await expect(createPodmanEngine(runner).inspect('localhost/nope:1')).resolves.toBeUndefined();
  });

  it('raises other inspect failures with the command and stderr', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['podman', 'image', 'inspect', 'localhost/x:1'],
        stderr: 'Error: database is locked',
        exitCode: 125,
      },
    ]);
    const error = await createPodmanEngine(runner)
      .inspect('localhost/x:1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).stderrTail).toContain('Error: database is locked');
  });

  it('finds images by label with ONE `images --filter label=… --format json` (recorded: one entry per tag)', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['podman', 'images', '--filter', 'label=io.kubernaut-e2e.content-hash=zz', '--format', 'json'],
        stdout: podmanList,
      },
    ]);
    const found = await createPodmanEngine(runner).findByLabel('io.kubernaut-e2e.content-hash', 'zz');
    expect(found).toEqual([
      {
        id: 'sha256:1bd65665fdd8d495bbce5457467730c4b80bb1ec6f73390ad70736f71e4c64bb',
        refs: ['localhost/kubernaut-e2e-test/q:1', 'localhost/kubernaut-e2e-test/q:2'],
        labels: { 'io.buildah.version': '1.28.2', 'io.kubernaut-e2e.content-hash': 'zz' },
        sizeBytes: 3885,
      },
    ]);
    runner.assertAllUsed();
  });

  it('finds nothing when no image carries the label (podman prints [])', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [
          'podman',
          'images',
          '--filter',
          'label=io.kubernaut-e2e.content-hash=none',
          '--format',
          'json',
        ],
        stdout: '[]',
      },
    ]);
    await expect(
      createPodmanEngine(runner).findByLabel('io.kubernaut-e2e.content-hash', 'none'),
    ).resolves.toEqual([]);
  });

  it('tags, saves one multi-image docker-archive, removes and pushes', async () => {
    const runner = new ScriptedRunner([
      { argv: ['podman', 'tag', 'localhost/a:1', 'localhost/a:2'] },
      {
        argv: [
          'podman',
          'save',
          '-m',
          '--format',
          'docker-archive',
          '-o',
          '/tmp/x/images.tar',
          'localhost/a:1',
          'localhost/b:1',
        ],
      },
      { argv: ['podman', 'rmi', 'localhost/a:2'] },
      { argv: ['podman', 'push', 'quay.io/k/a:1'] },
    ]);
    const engine = createPodmanEngine(runner);
    await engine.tag('localhost/a:1', 'localhost/a:2');
    await engine.save(['localhost/a:1', 'localhost/b:1'], '/tmp/x/images.tar');
    await engine.removeImage('localhost/a:2');
    await engine.push('quay.io/k/a:1');
    runner.assertAllUsed();
  });

  it('pushes an image under another name in one command (no local name added)', async () => {
    const runner = new ScriptedRunner([
      { argv: ['podman', 'push', '--tls-verify=false', 'localhost/a:1', 'localhost:5001/a:1'] },
      { argv: ['podman', 'push', 'localhost/a:1', 'registry.example.com:5000/e2e/a:1'] },
    ]);
    const engine = createPodmanEngine(runner);
    await engine.pushAs!('localhost/a:1', 'localhost:5001/a:1');
    await engine.pushAs!('localhost/a:1', 'registry.example.com:5000/e2e/a:1');
    runner.assertAllUsed();
  });

  it('treats removing an image that is already gone as done', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['podman', 'rmi', 'localhost/a:2'],
        stderr: 'Error: localhost/a:2: image not known',
        exitCode: 1,
      },
    ]);
    await expect(createPodmanEngine(runner).removeImage('localhost/a:2')).resolves.toBeUndefined();
  });

  it('passes the signal and log source to every command', async () => {
    const controller = new AbortController();
    const runner = new ScriptedRunner([{ argv: ['podman', 'tag', 'a', 'b'] }]);
    await createPodmanEngine(runner).tag('a', 'b', { signal: controller.signal, logSource: 'build:gateway' });
    expect(runner.calls[0]!.options.signal).toBe(controller.signal);
    expect(runner.calls[0]!.options.logSource).toBe('build:gateway');
  });
});

describe('docker engine argv', () => {
  it('builds with the same flags under `docker`', async () => {
    const runner = new ScriptedRunner([
      {
        argv: [
          'docker',
          'build',
          '--force-rm',
          '--file',
          '/src/docker/gateway.Dockerfile',
          '--tag',
          'kubernaut/gateway:t',
          '--label',
          'io.kubernaut-e2e.content-hash=abc',
          '--build-arg',
          'GOARCH=amd64',
          '--build-arg',
          'GOFLAGS=-cover',
          '/src',
        ],
      },
      { argv: ['docker', 'image', 'inspect', 'kubernaut/gateway:t'], stdout: dockerInspect },
    ]);
    const built = await createDockerEngine(runner).build({
      ...request,
      ref: 'kubernaut/gateway:t',
      timeoutMs: 60_000,
    });
    expect(built.id).toBe('sha256:857d0dc1f804a5b4549e92f3ba906474bbed1a6d986c0ced04747e24bd645a12');
    // docker's CLI is only a client: the runner's deadline stops it and the daemon cancels the build.
    expect(runner.calls[0]!.options.timeoutMs).toBe(60_000);
    runner.assertAllUsed();
  });

  it('refuses read-only mounts (docker build has none) before running anything', async () => {
    const runner = new ScriptedRunner([]);
    const error = await createDockerEngine(runner)
      .build({ ...request, readOnlyMounts: [{ source: '/m', target: '/go/pkg/mod' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe('goModCache');
    expect(runner.calls).toHaveLength(0);
  });

  it('finds by label in two steps (docker images lists no labels): IDs with --quiet, then inspect, newest first', async () => {
    const older = JSON.parse(dockerInspect) as [
      Record<string, unknown> & { Config: Record<string, unknown> },
    ];
    const newer = JSON.parse(fixture('docker-image-inspect-labels.json')) as typeof older;
    for (const image of [older[0], newer[0]]) image.Config.Labels = { 'io.kubernaut-e2e.content-hash': 'h' };
    const runner = new ScriptedRunner([
      {
        argv: [
          'docker',
          'images',
          '--filter',
          'label=io.kubernaut-e2e.content-hash=h',
          '--no-trunc',
          '--quiet',
        ],
        stdout: `${older[0].Id as string}\n${newer[0].Id as string}\n`,
      },
      {
        argv: ['docker', 'image', 'inspect', older[0].Id as string, newer[0].Id as string],
        stdout: JSON.stringify([older[0], newer[0]]),
      },
    ]);
    const found = await createDockerEngine(runner).findByLabel('io.kubernaut-e2e.content-hash', 'h');
    // Created 2025-06-10 is newer than 2021-04-04.
    expect(found.map((i) => i.refs[0])).toEqual([
      'samples-docker/1.1.dockerfile_hello:v1.0',
      'gsantomaggio/go-stream-client:latest',
    ]);
    runner.assertAllUsed();
  });

  it('tags, removes and pushes with the same verbs under `docker`', async () => {
    const runner = new ScriptedRunner([
      { argv: ['docker', 'tag', 'kubernaut/a:1', 'kubernaut/a:2'] },
      { argv: ['docker', 'rmi', 'kubernaut/a:2'] },
      { argv: ['docker', 'push', 'registry.local:5000/kubernaut/a:1'] },
    ]);
    const engine = createDockerEngine(runner);
    await engine.tag('kubernaut/a:1', 'kubernaut/a:2');
    await engine.removeImage('kubernaut/a:2');
    await engine.push('registry.local:5000/kubernaut/a:1');
    runner.assertAllUsed();
  });

  it('saves with `docker save -o`, and treats "No such image" as absent', async () => {
    const runner = new ScriptedRunner([
      { argv: ['docker', 'save', '-o', '/tmp/x/images.tar', 'kubernaut/a:1', 'kubernaut/b:1'] },
      {
        argv: ['docker', 'image', 'inspect', 'kubernaut/zz:1'],
        stdout: '[]',
        stderr: 'Error response from daemon: No such image: kubernaut/zz:1',
        exitCode: 1,
      },
      {
        argv: ['docker', 'rmi', 'kubernaut/zz:1'],
        stderr: 'Error response from daemon: No such image: kubernaut/zz:1',
        exitCode: 1,
      },
      {
        argv: [
          'docker',
          'images',
          '--filter',
          'label=io.kubernaut-e2e.content-hash=h',
          '--no-trunc',
          '--quiet',
        ],
        stdout: '',
      },
    ]);
    const engine = createDockerEngine(runner);
    await engine.save(['kubernaut/a:1', 'kubernaut/b:1'], '/tmp/x/images.tar');
    await expect(engine.inspect('kubernaut/zz:1')).resolves.toBeUndefined();
    await expect(engine.removeImage('kubernaut/zz:1')).resolves.toBeUndefined();
    await expect(engine.findByLabel('io.kubernaut-e2e.content-hash', 'h')).resolves.toEqual([]);
    runner.assertAllUsed();
  });
});

describe('a broken image store (recorded podman 4.3.1 output)', () => {
  const brokenFilter = fixture('podman-images-filter-broken-manifest.stderr.txt');
  const brokenInspect = fixture('podman-image-inspect-broken-manifest.stderr.txt');
  const BROKEN_ID = '5977e367fd88598a9c794c12e13cd29f8b79abfed7fe357243164b0ed2d8c85d';

  it('a listing that fails on a missing manifest raises KE_IMAGE_STORE with the command that repairs it', async () => {
    const runner = new ScriptedRunner([
      { match: (argv) => argv[1] === 'images', stderr: brokenFilter, exitCode: 125 },
    ]);
    const error = await createPodmanEngine(runner)
      .findByLabel('io.kubernaut-e2e.content-hash', 'abc')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageStoreError);
    expect(error).toMatchObject({
      code: 'KE_IMAGE_STORE',
      imageId: BROKEN_ID,
      repairCommand: ['podman', 'rmi', '-f', BROKEN_ID],
    });
    const message = (error as Error).message;
    expect(message).toContain(`podman's image store has a broken image ${BROKEN_ID}`);
    expect(message).toContain(`Remove it with \`podman rmi -f ${BROKEN_ID}\``);
    expect(message).toContain('command: podman images --filter label=io.kubernaut-e2e.content-hash=abc');
  });

  it('so does `image inspect` of the broken image (it is not "missing")', async () => {
    const runner = new ScriptedRunner([
      { match: (argv) => argv[2] === 'inspect', stderr: brokenInspect, exitCode: 125 },
    ]);
    const error = await createPodmanEngine(runner)
      .inspect('localhost/labelled:1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageStoreError);
    expect((error as ImageStoreError).imageId).toBe(BROKEN_ID);
  });

  it('a listing podman completes despite a broken image elsewhere succeeds and says which image to remove', async () => {
    const lines: LogLine[] = [];
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[1] === 'images',
        stdout: fixture('podman-images-filter-other-broken.stdout.txt'),
        stderr: fixture('podman-images-filter-other-broken.stderr.txt'),
      },
    ]);
    const found = await createPodmanEngine(runner).findByLabel('io.kubernaut-e2e.content-hash', 'zz', {
      log: (line) => lines.push(line),
      logSource: 'build:gateway',
    });
    expect(found).toEqual([]);
    expect(lines.filter((l) => l.stream === 'info').map((l) => l.text)).toEqual([
      `podman's store has a broken image 5977e367fd88; remove it with \`podman rmi -f 5977e367fd88\``,
    ]);
  });

  it('lists again when another process removed an image the listing had just seen (recorded race)', async () => {
    let attempts = 0;
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[1] === 'images',
        times: 2,
        respond: () =>
          attempts++ === 0
            ? { stderr: fixture('podman-images-race-with-rmi.stderr.txt'), exitCode: 125 }
            : { stdout: podmanList },
      },
    ]);
    const found = await createPodmanEngine(runner).findByLabel('io.kubernaut-e2e.content-hash', 'zz');
    expect(found).toHaveLength(1);
    runner.assertAllUsed();
  });

  it('other failures stay what they are', async () => {
    const runner = new ScriptedRunner([
      { match: (argv) => argv[1] === 'images', stderr: 'Error: database is locked', exitCode: 125 },
    ]);
    const error = await createPodmanEngine(runner)
      .findByLabel('l', 'v')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
  });
});

describe('createEngine (the engine a runtime names)', () => {
  it.each(['podman', 'docker'] as const)('%s: the engine runs `%s` commands', async (name) => {
    const runner = new ScriptedRunner([{ argv: [name, 'rmi', 'localhost/a:2'] }]);
    const engine = createEngine(name, runner);
    expect(engine.name).toBe(name);
    await engine.removeImage('localhost/a:2');
    runner.assertAllUsed();
  });

  it('passes the options on: a podman isolation asked of docker is refused before any command', () => {
    const runner = new ScriptedRunner([]);
    expect(() => createEngine('docker', runner, { isolation: 'chroot' })).toThrow(ConfigError);
    expect(createEngine('podman', runner, { isolation: 'chroot' }).name).toBe('podman');
    expect(runner.calls).toEqual([]);
  });
});
