import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandRunner, createCommandRunner } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { type PrivatePodmanStore, startPrivatePodmanStore, withEnv } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPodmanEngine } from './engines/podman-engine.js';
import { failingRunsWithSiblingInFlight } from './testing-internal/cancel-loop.js';
import { tinyRootfsTar } from './testing-internal/tiny-base-image.js';

/*
 * The docker loop's check for podman (build-cancel-loop.docker.int.test.ts): a failing run with a sibling build in
 * flight, ten times, in a private podman store (everything in it is this test's). podman is never killed: the RUN
 * step in progress is stopped, podman fails the step and removes its working container, and what it committed is
 * removed by the run's label. Each run's store is checked the way a user looks: `images -a`, `ps -a --external`.
 */
const RUNS = 10;

describeWithBinaries(['podman', 'tar', 'ldd'], { podman: 'podman', tar: 'tar', ldd: 'libc-bin' }, () => {
  const real = createCommandRunner();
  const nonce = randomBytes(6).toString('hex');
  const baseRef = `localhost/kubernaut-e2e-test/loop-base:${nonce}`;
  let store: PrivatePodmanStore | undefined;
  let runner: CommandRunner;
  let baseId: string;
  let root: string;
  let removeTar: () => Promise<void> = async () => {};

  beforeAll(async () => {
    store = await startPrivatePodmanStore(real);
    // RUN steps: crun cannot create cgroups on these machines (see build-cancel.int.test.ts).
    runner = withEnv(store.runner, { BUILDAH_ISOLATION: 'chroot' });
    const { tar, remove } = await tinyRootfsTar(real, nonce);
    removeTar = remove;
    baseId = (await runner.run('podman', ['import', tar, baseRef])).stdout.trim().split('\n').at(-1)!;
    root = await mkdtemp(join(tmpdir(), 'kubernaut-build-cancel-loop-podman-'));
  });

  afterAll(async () => {
    await store?.stop();
    await removeTar();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const lines = async (args: string[]) =>
    (await runner.run('podman', args)).stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);

  it(`a failing run with a sibling build in flight leaves 0 images and 0 containers, ${RUNS} runs in a row`, async () => {
    const results = await failingRunsWithSiblingInFlight({
      engine: (ledger) => createPodmanEngine(runner, { ledger }),
      root,
      baseRef,
      nonce,
      runs: RUNS,
      steps: 30,
      contents: async () => ({
        images: (await lines(['images', '--all', '--quiet', '--no-trunc'])).filter(
          (id) => id.replace(/^sha256:/, '') !== baseId.replace(/^sha256:/, ''),
        ),
        containers: await lines(['ps', '--all', '--external', '--quiet']),
      }),
      clear: async (left) => {
        if (left.containers.length > 0) await runner.run('podman', ['rm', '--force', ...left.containers]);
        if (left.images.length > 0)
          await runner.run('podman', ['rmi', '--force', ...left.images]).catch(() => {});
      },
    });
    console.log(results.map((r) => JSON.stringify(r)).join('\n'));
    expect(results.filter((r) => r.images + r.containers + r.cleanupFailed > 0)).toEqual([]);
  }, 600_000);
});
