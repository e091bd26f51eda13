import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CancelledError, CommandError, ConfigError, type LogLine, RunLedger } from '@kubernaut-e2e/core';
import { type ScriptedExpectation, ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { createDockerEngine, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { afterEach, describe, expect, it } from 'vitest';
import { createKindImageLoader } from './image-loader.js';
import { loadImageToKind } from './load-image.js';
import { loadImagesToKind } from './load-images.js';

const GATEWAY = 'localhost/kubernaut/gateway:gateway-e2e-0123456789ab';
const DATASTORAGE = 'localhost/kubernaut/datastorage:gateway-e2e-ba9876543210';
const idOf = (ref: string) => `sha256:${(ref.includes('gateway:') ? 'a' : 'b').repeat(64)}`;
const crictl = readFileSync(new URL('./__fixtures__/crictl-images.json', import.meta.url), 'utf8');

let ledger: RunLedger;
afterEach(async () => {
  await ledger?.cleanup();
});

/** podman/docker save that really writes the archive, so tests can see where it lives and that it goes. */
const save = (binary: string, refs: string[], seen: { archive?: string }): ScriptedExpectation => ({
  match: (argv) =>
    argv[0] === binary &&
    argv[1] === 'save' &&
    refs.every((r) => argv.includes(r)) &&
    argv.length === (binary === 'podman' ? 7 : 4) + refs.length,
  description: `${binary} save ${refs.join(' ')}`,
  respond: ({ argv }) => {
    const archive = argv[argv.indexOf('-o') + 1]!;
    writeFileSync(archive, 'tar');
    seen.archive = archive;
    return {};
  },
});
const kindLoad = (
  cluster: string,
  seen: { archive?: string; existedAtLoad?: boolean },
  fail?: string,
): ScriptedExpectation => ({
  match: (argv) => argv[0] === 'kind' && argv[1] === 'load',
  description: 'kind load image-archive',
  env: { KIND_EXPERIMENTAL_PROVIDER: 'podman' },
  respond: ({ argv }) => {
    expect(argv).toEqual(['kind', 'load', 'image-archive', seen.archive, '--name', cluster]);
    seen.existedAtLoad = existsSync(seen.archive!);
    return fail ? { stderr: `ERROR: ${fail}`, exitCode: 1 } : {};
  },
});
const inspect = (binary: string, ref: string): ScriptedExpectation => ({
  argv: [binary, 'image', 'inspect', ref],
  stdout: JSON.stringify([{ Id: idOf(ref), RepoTags: [ref], Labels: {} }]),
});

describe('loadImageToKind', () => {
  it('saves to an archive in a private ledger temp dir, runs kind load with the podman provider, removes the archive', async () => {
    ledger = new RunLedger();
    const seen: { archive?: string; existedAtLoad?: boolean } = {};
    const runner = new ScriptedRunner([save('podman', [GATEWAY], seen), kindLoad('gateway-e2e', seen)]);
    const report = await loadImageToKind(GATEWAY, 'gateway', 'gateway-e2e', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
    });
    expect(report).toEqual({ loaded: [GATEWAY], skipped: [] });
    expect(runner.argvs[0]).toEqual([
      'podman',
      'save',
      '-m',
      '--format',
      'docker-archive',
      '-o',
      seen.archive,
      GATEWAY,
    ]);
    expect(seen.archive).toMatch(/kind-load-gateway-[^/]+\/gateway\.tar$/);
    expect(seen.existedAtLoad).toBe(true);
    expect(existsSync(dirname(seen.archive!))).toBe(false);
    runner.assertAllUsed();
  });

  it('removes the archive when kind fails, and the error names image, cluster, command and stderr', async () => {
    ledger = new RunLedger();
    const seen: { archive?: string } = {};
    const runner = new ScriptedRunner([
      save('podman', [GATEWAY], seen),
      kindLoad('gateway-e2e', seen, 'no nodes found for cluster "gateway-e2e"'),
    ]);
    const error = await loadImageToKind(GATEWAY, 'gateway', 'gateway-e2e', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    const message = (error as Error).message;
    expect(message).toContain(`loading image ${GATEWAY} into kind cluster gateway-e2e`);
    expect(message).toContain('kind load image-archive');
    expect(message).toContain('no nodes found for cluster');
    expect(existsSync(dirname(seen.archive!))).toBe(false);
  });

  it('removes the archive when the export fails', async () => {
    ledger = new RunLedger();
    let archive = '';
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[1] === 'save',
        respond: ({ argv }) => {
          archive = argv[argv.indexOf('-o') + 1]!;
          writeFileSync(archive, 'partial');
          return { stderr: 'Error: writing blob: no space left on device', exitCode: 125 };
        },
      },
    ]);
    const error = await loadImageToKind(GATEWAY, 'gateway', 'gateway-e2e', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('exporting the archive');
    expect((error as Error).message).toContain('no space left on device');
    expect(existsSync(dirname(archive))).toBe(false);
  });

  it('cancels a hanging kind load through the signal and still removes the archive', async () => {
    ledger = new RunLedger();
    const seen: { archive?: string } = {};
    const controller = new AbortController();
    const runner = new ScriptedRunner([
      save('podman', [GATEWAY], seen),
      { match: (argv) => argv[0] === 'kind', hang: true },
    ]);
    // The sibling fails once `kind load` is running: wait for that state, then abort.
    void runner
      .waitForCall((call) => call.argv[0] === 'kind')
      .then(() => controller.abort(new Error('sibling step failed')));
    const error = await loadImageToKind(GATEWAY, 'gateway', 'c1', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(runner.calls[1]!.options.signal).toBe(controller.signal);
    expect(existsSync(dirname(seen.archive!))).toBe(false);
  });

  it('uses docker save and the docker provider for the docker engine, and --nodes when asked', async () => {
    ledger = new RunLedger();
    const seen: { archive?: string } = {};
    const ref = 'kubernaut/gateway:e2e';
    const runner = new ScriptedRunner([
      save('docker', [ref], seen),
      {
        match: (argv) => argv[0] === 'kind',
        env: { KIND_EXPERIMENTAL_PROVIDER: 'docker' },
        respond: ({ argv }) => {
          expect(argv).toEqual([
            'kind',
            'load',
            'image-archive',
            seen.archive,
            '--name',
            'c1',
            '--nodes',
            'c1-worker,c1-worker2',
          ]);
          return {};
        },
      },
    ]);
    await loadImageToKind(ref, 'gateway', 'c1', {
      engine: createDockerEngine(runner),
      runner,
      ledger,
      nodes: ['c1-worker', 'c1-worker2'],
    });
    expect(runner.argvs[0]).toEqual(['docker', 'save', '-o', seen.archive, ref]);
    runner.assertAllUsed();
  });

  it('removes the engine image afterwards only when this run built it', async () => {
    ledger = new RunLedger();
    const seen: { archive?: string } = {};
    const runner = new ScriptedRunner([
      save('podman', [GATEWAY], seen),
      kindLoad('c1', seen),
      { argv: ['podman', 'rmi', GATEWAY] },
    ]);
    const engine = createPodmanEngine(runner);
    ledger.record({ kind: 'image', name: GATEWAY, dispose: () => engine.removeImage(GATEWAY) });
    await loadImageToKind(GATEWAY, 'gateway', 'c1', { engine, runner, ledger, removeEngineImage: true });
    runner.assertAllUsed();
    expect(ledger.entries.some((e) => e.name === GATEWAY)).toBe(false); // disposed once, not again at cleanup
  });

  it('keeps an image this run did not build, and says so', async () => {
    ledger = new RunLedger();
    const seen: { archive?: string } = {};
    const lines: LogLine[] = [];
    const runner = new ScriptedRunner([save('podman', [GATEWAY], seen), kindLoad('c1', seen)]);
    await loadImageToKind(GATEWAY, 'gateway', 'c1', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
      removeEngineImage: true,
      log: (l) => lines.push(l),
    });
    expect(runner.argvs.some((a) => a[1] === 'rmi')).toBe(false);
    expect(lines.some((l) => l.text.includes(`kept ${GATEWAY}`))).toBe(true);
  });

  it.each([
    ['an image ref with upper case', ['localhost/Kubernaut/gateway:t', 'gateway', 'c1'], 'imageRef'],
    ['an image ref with a leading -', ['-kubernaut/gateway:t', 'gateway', 'c1'], 'imageRef'],
    ['an empty service name', [GATEWAY, '', 'c1'], 'serviceName'],
    ['a cluster name longer than kind allows', [GATEWAY, 'gateway', `c${'x'.repeat(60)}`], 'clusterName'],
  ] as const)(
    'refuses %s before running anything, naming the field',
    async (_what, [ref, service, cluster], field) => {
      ledger = new RunLedger();
      const runner = new ScriptedRunner([]);
      const error = await loadImageToKind(ref, service, cluster, {
        engine: createPodmanEngine(runner),
        runner,
        ledger,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.path)).toContain(field);
      expect(runner.calls).toHaveLength(0);
      expect(ledger.entries).toHaveLength(0);
    },
  );
});

describe('loadImagesToKind', () => {
  const nodeImages = (extra: { id: string; repoTags: string[] }[]) => {
    const parsed = JSON.parse(crictl) as { images: unknown[] };
    return JSON.stringify({
      images: [
        ...parsed.images,
        ...extra.map((e) => ({ ...e, repoDigests: [], size: '1', uid: null, username: '' })),
      ],
    });
  };
  const listNodes = (cluster: string, stdout: string): ScriptedExpectation => ({
    argv: ['podman', 'exec', `${cluster}-control-plane`, 'crictl', 'images', '-o', 'json'],
    stdout,
  });

  it('loads every image with ONE multi-image archive and ONE kind load', async () => {
    ledger = new RunLedger();
    const seen: { archive?: string; existedAtLoad?: boolean } = {};
    const runner = new ScriptedRunner([
      listNodes('gateway-e2e', crictl),
      save('podman', [GATEWAY, DATASTORAGE], seen),
      kindLoad('gateway-e2e', seen),
    ]);
    const report = await loadImagesToKind([GATEWAY, DATASTORAGE, GATEWAY], 'gateway-e2e', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
    });
    expect(report).toEqual({ loaded: [GATEWAY, DATASTORAGE], skipped: [] });
    expect(runner.argvs.filter((a) => a[1] === 'save')).toEqual([
      ['podman', 'save', '-m', '--format', 'docker-archive', '-o', seen.archive, GATEWAY, DATASTORAGE],
    ]);
    expect(runner.argvs.filter((a) => a[0] === 'kind')).toHaveLength(1);
    expect(seen.existedAtLoad).toBe(true);
    expect(existsSync(dirname(seen.archive!))).toBe(false);
    runner.assertAllUsed();
  });

  it('skips images the node already holds under the same name and ID', async () => {
    ledger = new RunLedger();
    const seen: { archive?: string } = {};
    const runner = new ScriptedRunner([
      inspect('podman', GATEWAY),
      listNodes('c1', nodeImages([{ id: idOf(GATEWAY), repoTags: [GATEWAY] }])),
      save('podman', [DATASTORAGE], seen),
      kindLoad('c1', seen),
    ]);
    const report = await loadImagesToKind([GATEWAY, DATASTORAGE], 'c1', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
    });
    expect(report).toEqual({ loaded: [DATASTORAGE], skipped: [GATEWAY] });
    runner.assertAllUsed();
  });

  it('reloads an image whose name is on the node but whose content changed (same tag, other ID)', async () => {
    ledger = new RunLedger();
    const seen: { archive?: string } = {};
    const runner = new ScriptedRunner([
      inspect('podman', GATEWAY),
      listNodes('c1', nodeImages([{ id: `sha256:${'f'.repeat(64)}`, repoTags: [GATEWAY] }])),
      save('podman', [GATEWAY], seen),
      kindLoad('c1', seen),
    ]);
    const report = await loadImagesToKind([GATEWAY], 'c1', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
    });
    expect(report.loaded).toEqual([GATEWAY]);
  });

  it('runs nothing more when every image is already on the nodes', async () => {
    ledger = new RunLedger();
    const runner = new ScriptedRunner([
      inspect('podman', GATEWAY),
      listNodes('c1', nodeImages([{ id: idOf(GATEWAY), repoTags: [GATEWAY] }])),
    ]);
    const report = await loadImagesToKind([GATEWAY], 'c1', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
    });
    expect(report).toEqual({ loaded: [], skipped: [GATEWAY] });
    expect(ledger.entries).toHaveLength(0);
    runner.assertAllUsed();
  });

  it('loads everything when the node images cannot be listed', async () => {
    ledger = new RunLedger();
    const seen: { archive?: string } = {};
    const runner = new ScriptedRunner([
      {
        argv: ['podman', 'exec', 'c1-control-plane', 'crictl', 'images', '-o', 'json'],
        stderr: 'Error: no container with name or ID "c1-control-plane" found',
        exitCode: 125,
      },
      save('podman', [GATEWAY], seen),
      kindLoad('c1', seen),
    ]);
    const report = await loadImagesToKind([GATEWAY], 'c1', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
    });
    expect(report.loaded).toEqual([GATEWAY]);
  });

  it('lists node images through a ClusterProvider when one is given (docker name normalisation applies)', async () => {
    ledger = new RunLedger();
    const ref = 'kubernaut/gateway:e2e';
    const runner = new ScriptedRunner([]); // names only: no inspection needed
    const cluster = {
      listNodeImages: async () => ['docker.io/kubernaut/gateway:e2e', 'docker.io/library/redis:7'],
    };
    const report = await loadImagesToKind([ref], 'c1', {
      engine: createDockerEngine(runner),
      runner,
      ledger,
      cluster,
    });
    expect(report).toEqual({ loaded: [], skipped: [ref] });
    runner.assertAllUsed();
  });

  it('reports an image the engine does not have, naming it, the cluster and what to do, leaving no archive', async () => {
    ledger = new RunLedger();
    const runner = new ScriptedRunner([
      listNodes('c1', crictl),
      {
        match: (argv) => argv[1] === 'save',
        stderr: `Error: ${GATEWAY}: image not known`,
        exitCode: 125,
      },
    ]);
    const error = await loadImagesToKind([GATEWAY], 'c1', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    const message = (error as Error).message;
    expect(message).toContain(`loading image ${GATEWAY} into kind cluster c1`);
    expect(message).toContain('build it first');
    expect(message).toContain('image not known');
    expect(ledger.entries).toHaveLength(0);
  });

  it('skips an image the node holds when the local copy is already gone (removed after an earlier load)', async () => {
    ledger = new RunLedger();
    const runner = new ScriptedRunner([
      listNodes('c1', nodeImages([{ id: idOf(GATEWAY), repoTags: [GATEWAY] }])),
      {
        argv: ['podman', 'image', 'inspect', GATEWAY],
        stdout: '[]',
        stderr: `Error: inspecting object: ${GATEWAY}: image not known`,
        exitCode: 125,
      },
    ]);
    const report = await loadImagesToKind([GATEWAY], 'c1', {
      engine: createPodmanEngine(runner),
      runner,
      ledger,
    });
    expect(report).toEqual({ loaded: [], skipped: [GATEWAY] });
    runner.assertAllUsed();
  });

  it('refuses bad refs and cluster names before running anything', async () => {
    ledger = new RunLedger();
    const runner = new ScriptedRunner([]);
    const options = { engine: createPodmanEngine(runner), runner, ledger };
    const bad = await loadImagesToKind(['Upper/Case:1'], 'c1', options).catch((e: unknown) => e);
    expect((bad as ConfigError).issues[0]!.path).toMatch(/^refs/);
    const long = await loadImagesToKind([GATEWAY], 'x'.repeat(51), options).catch((e: unknown) => e);
    expect((long as ConfigError).issues[0]!.path).toBe('clusterName');
    const none = await loadImagesToKind([], 'c1', options).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(ConfigError);
    expect(runner.calls).toHaveLength(0);
  });

  it('is reachable through the ImageLoader port', async () => {
    ledger = new RunLedger();
    const runner = new ScriptedRunner([
      inspect('podman', GATEWAY),
      listNodes('c1', nodeImages([{ id: idOf(GATEWAY), repoTags: [GATEWAY] }])),
    ]);
    const loader = createKindImageLoader({ engine: createPodmanEngine(runner), runner, ledger });
    await expect(loader.load([GATEWAY], 'c1', { logSource: 'load:c1' })).resolves.toEqual({
      loaded: [],
      skipped: [GATEWAY],
    });
    expect(runner.calls.every((c) => c.options.logSource === 'load:c1')).toBe(true);
  });
});
