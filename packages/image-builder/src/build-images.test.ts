import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, CommandError, ConfigError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildImagesForKind } from './build-images.js';
import { createPodmanEngine } from './engines/podman-engine.js';

let root: string;
const env = {};
const config = (service: string) => ({
  serviceName: service,
  imageName: `kubernaut/${service}`,
  dockerfilePath: `${service}.Dockerfile`,
  tag: 'e2e',
});
const inspect = (ref: string) =>
  JSON.stringify([{ Id: 'a'.repeat(64), RepoTags: [ref], Labels: {}, Created: '2026-01-01T00:00:00Z' }]);
/** `podman images --filter label=… --format json` listing one tagged image with that content hash. */
const list = (ref: string, hash: string) =>
  JSON.stringify([
    {
      Id: 'a'.repeat(64),
      Names: [ref],
      Labels: { 'io.kubernaut-e2e.content-hash': hash },
      Created: 1795800272,
    },
  ]);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubernaut-builds-test-'));
  for (const service of ['gateway', 'datastorage', 'notification']) {
    await writeFile(join(root, `${service}.Dockerfile`), `FROM scratch\nLABEL s=${service}\n`);
  }
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/**
 * A runner where every lookup misses and every build waits at a gate the test opens: so which builds run at
 * the same time is decided by the test (the state it waits for), never by how fast the machine is.
 */
function gatedRunner(options: { failing?: string; hanging?: string; gated?: boolean } = {}) {
  let running = 0;
  let peak = 0;
  const gates = new Map<string, () => void>();
  const begun = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const beginning = (ref: string) => {
    let entry = begun.get(ref);
    if (!entry) {
      let resolve: () => void = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      entry = { promise, resolve };
      begun.set(ref, entry);
    }
    return entry;
  };
  const runner = new ScriptedRunner([
    { match: (argv) => argv[1] === 'images', stdout: '[]', times: Infinity },
    {
      match: (argv) => argv[1] === 'build',
      times: Infinity,
      respond: ({ argv }) => {
        const ref = argv[argv.indexOf('--tag') + 1]!;
        if (options.failing && ref.includes(options.failing))
          return { stderr: 'Error: building at STEP 1: boom', exitCode: 1 };
        if (options.hanging && ref.includes(options.hanging)) return { hang: true };
        return {};
      },
    },
    {
      match: (argv) => argv[1] === 'image' && argv[2] === 'inspect',
      times: Infinity,
      respond: ({ argv }) => ({ stdout: inspect(argv[3]!) }),
    },
  ]);
  const isBuildOf = (name: string) => (call: { argv: readonly string[] }) =>
    call.argv[1] === 'build' && call.argv.includes(`localhost/kubernaut/${name}:e2e`);
  const original = runner.run.bind(runner);
  runner.run = async (file, args, opts) => {
    if (args[0] !== 'build') return original(file, args, opts);
    const ref = args[args.indexOf('--tag') + 1]!;
    running += 1;
    peak = Math.max(peak, running);
    beginning(ref).resolve();
    try {
      if (options.gated) await new Promise<void>((open) => gates.set(ref, open));
      // The failure comes only once the hanging build has been called, so the test sees that build cancelled.
      const { failing, hanging } = options;
      if (failing && hanging && ref.includes(failing)) await runner.waitForCall(isBuildOf(hanging));
      return await original(file, args, opts);
    } finally {
      running -= 1;
    }
  };
  return {
    runner,
    peak: () => peak,
    /** Resolves once the build of `name` has been called (before its gate). */
    started: (name: string) => beginning(`localhost/kubernaut/${name}:e2e`).promise,
    /** Lets the (gated) build of `name` run. */
    open: (name: string) => gates.get(`localhost/kubernaut/${name}:e2e`)!(),
  };
}

describe('buildImagesForKind', () => {
  it('builds every image, in input order, never more than `concurrency` at once', async () => {
    const { runner, peak, started, open } = gatedRunner({ gated: true });
    const building = buildImagesForKind([config('gateway'), config('datastorage'), config('notification')], {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
      concurrency: 2,
    });
    // Two builds run at once; the third starts only when one of them ends.
    await Promise.all([started('gateway'), started('datastorage')]);
    expect(peak()).toBe(2);
    expect(runner.calls.some((c) => c.argv.includes('localhost/kubernaut/notification:e2e'))).toBe(false);
    open('gateway');
    await started('notification');
    open('datastorage');
    open('notification');
    const built = await building;
    expect(built.map((b) => b.ref)).toEqual([
      'localhost/kubernaut/gateway:e2e',
      'localhost/kubernaut/datastorage:e2e',
      'localhost/kubernaut/notification:e2e',
    ]);
    expect(peak()).toBe(2);
  });

  it('fails fast: the first failure aborts the running builds and names the failing image', async () => {
    const { runner } = gatedRunner({ failing: 'datastorage', hanging: 'gateway' });
    const error = await buildImagesForKind(
      [config('gateway'), config('datastorage'), config('notification')],
      {
        engine: createPodmanEngine(runner),
        projectRoot: root,
        env,
        concurrency: 2,
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as Error).message).toContain(
      'building image localhost/kubernaut/datastorage:e2e for service datastorage',
    );
    expect((error as Error).message).toContain('boom');
    // The hanging gateway build was cancelled through its signal, and notification never started.
    const gatewayBuild = runner.calls.find(
      (c) => c.argv[1] === 'build' && c.argv.includes('localhost/kubernaut/gateway:e2e'),
    )!;
    expect(gatewayBuild.options.signal?.aborted).toBe(true);
    expect(runner.calls.some((c) => c.argv.includes('localhost/kubernaut/notification:e2e'))).toBe(false);
  });

  it('after an edit to one service in a shared context, rebuilds that image alone', async () => {
    // kubernaut's layout: every image is built from the repository root and copies its own cmd/<service>/.
    for (const service of ['gateway', 'datastorage', 'notification']) {
      await mkdir(join(root, 'cmd', service), { recursive: true });
      await writeFile(join(root, 'cmd', service, 'main.go'), 'package main\n');
      await writeFile(
        join(root, `${service}.Dockerfile`),
        `FROM scratch\nCOPY go.mod cmd/${service}/ /src/\n`,
      );
    }
    await writeFile(join(root, 'go.mod'), 'module example\n');
    const store = new Map<string, string>(); // content hash → ref
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[1] === 'images',
        times: Infinity,
        respond: ({ argv }) => {
          const hash = argv[3]!.split('=').pop()!;
          const ref = store.get(hash);
          return { stdout: ref ? list(ref, hash) : '[]' };
        },
      },
      {
        match: (argv) => argv[1] === 'build',
        times: Infinity,
        respond: ({ argv }) => {
          const ref = argv[argv.indexOf('--tag') + 1]!;
          store.set(argv[argv.indexOf('--tag') + 3]!.split('=').pop()!, ref);
          return {};
        },
      },
      {
        match: (argv) => argv[1] === 'image' && argv[2] === 'inspect',
        times: Infinity,
        respond: ({ argv }) => ({ stdout: inspect(argv[3]!) }),
      },
    ]);
    const services = ['gateway', 'datastorage', 'notification'];
    const build = () =>
      buildImagesForKind(
        services.map((s) => ({ ...config(s), tag: undefined, consumer: 'e2e' })),
        { engine: createPodmanEngine(runner), projectRoot: root, env },
      );
    expect((await build()).map((b) => b.cached)).toEqual([false, false, false]);
    const builds = () => runner.calls.filter((c) => c.argv[1] === 'build').length;
    expect(builds()).toBe(3);

    await writeFile(join(root, 'cmd/gateway/main.go'), 'package main // one line changed\n');
    expect((await build()).map((b) => b.cached)).toEqual([false, true, true]);
    expect(builds()).toBe(4);

    // A file every image copies rebuilds them all.
    await writeFile(join(root, 'go.mod'), 'module example\n\ngo 1.19\n');
    expect((await build()).map((b) => b.cached)).toEqual([false, false, false]);
    expect(builds()).toBe(7);
  });

  it('validates every config before running anything, reporting each bad one by index', async () => {
    const runner = new ScriptedRunner([]);
    const error = await buildImagesForKind(
      [config('gateway'), { ...config('x'), imageName: 'Bad' }, { ...config('y'), serviceName: '' }],
      {
        engine: createPodmanEngine(runner),
        projectRoot: root,
        env,
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).issues.map((i) => i.path);
    expect(paths.some((p) => p.startsWith('configs[1].imageName'))).toBe(true);
    expect(paths.some((p) => p.startsWith('configs[2].serviceName'))).toBe(true);
    expect(runner.calls).toHaveLength(0);
  });

  it('rejects a concurrency below 1', async () => {
    const runner = new ScriptedRunner([]);
    await expect(
      buildImagesForKind([config('gateway')], {
        engine: createPodmanEngine(runner),
        projectRoot: root,
        env,
        concurrency: 0,
      }),
    ).rejects.toThrow(/concurrency/);
  });

  it('stops when the caller aborts', async () => {
    const { runner, started } = gatedRunner({ hanging: 'gateway' });
    const controller = new AbortController();
    const pending = buildImagesForKind([config('gateway')], {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
      signal: controller.signal,
    });
    await started('gateway');
    controller.abort(new Error('user pressed Ctrl-C'));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toContain('user pressed Ctrl-C');
  });
});
