import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubernaut-builds-test-'));
  for (const service of ['gateway', 'datastorage', 'notification']) {
    await writeFile(join(root, `${service}.Dockerfile`), `FROM scratch\nLABEL s=${service}\n`);
  }
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A runner where every lookup misses and every build succeeds, tracking how many builds overlap. */
function buildRunner(options: { failing?: string; hanging?: string } = {}) {
  let running = 0;
  let peak = 0;
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
  const original = runner.run.bind(runner);
  const started: string[] = [];
  runner.run = async (file, args, opts) => {
    if (args[0] !== 'build') return original(file, args, opts);
    const ref = args[args.indexOf('--tag') + 1]!;
    started.push(ref);
    running += 1;
    peak = Math.max(peak, running);
    try {
      await new Promise((r) => setTimeout(r, 5));
      // The failure comes only once the hanging build runs, so the test sees that build being cancelled.
      const { failing, hanging } = options;
      if (failing && hanging && ref.includes(failing)) {
        for (let i = 0; i < 2000 && !started.some((r) => r.includes(hanging)); i++) {
          await new Promise((r) => setTimeout(r, 1));
        }
      }
      return await original(file, args, opts);
    } finally {
      running -= 1;
    }
  };
  return { runner, peak: () => peak };
}

describe('buildImagesForKind', () => {
  it('builds every image, in input order, never more than `concurrency` at once', async () => {
    const { runner, peak } = buildRunner();
    const built = await buildImagesForKind(
      [config('gateway'), config('datastorage'), config('notification')],
      {
        engine: createPodmanEngine(runner),
        projectRoot: root,
        env,
        concurrency: 2,
      },
    );
    expect(built.map((b) => b.ref)).toEqual([
      'localhost/kubernaut/gateway:e2e',
      'localhost/kubernaut/datastorage:e2e',
      'localhost/kubernaut/notification:e2e',
    ]);
    expect(peak()).toBe(2);
  });

  it('fails fast: the first failure aborts the running builds and names the failing image', async () => {
    const { runner } = buildRunner({ failing: 'datastorage', hanging: 'gateway' });
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
    const { runner } = buildRunner({ hanging: 'gateway' });
    const controller = new AbortController();
    const pending = buildImagesForKind([config('gateway')], {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('user pressed Ctrl-C')), 20);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });
});
