import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandRunner, createCommandRunner } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { type PrivateDockerd, startPrivateDockerd, withEnv } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDockerEngine } from './engines/docker-engine.js';
import { failingRunsWithSiblingInFlight } from './testing-internal/cancel-loop.js';
import { dockerLeftovers } from './testing-internal/leftovers.js';
import { tinyRootfsTar } from './testing-internal/tiny-base-image.js';

/*
 * A failing run with builds in flight, on a real Docker engine (a private dockerd, so everything in it is this
 * test's), ten times over. docker's classic builder goes on after its client is stopped: it finishes the step in
 * progress and commits it, which the stopped client never prints — so the build is followed until the daemon has
 * stopped building it. Whatever point the sibling was stopped at, the run's cleanup must leave no image and no
 * container behind. A loop over real timing, not a timing assertion: each run is stopped wherever the failure lands.
 * (Without following the daemon, 6 of 10 runs here left 3 images each.)
 */
const RUNS = 10;

describeWithBinaries(
  ['dockerd', 'docker', 'tar', 'ldd'],
  { dockerd: 'docker.io', docker: 'docker.io', tar: 'tar', ldd: 'libc-bin' },
  () => {
    const real = createCommandRunner();
    const nonce = randomBytes(6).toString('hex');
    const baseRef = `kubernaut-e2e-test/loop-base:${nonce}`;
    let dockerd: PrivateDockerd | undefined;
    let runner: CommandRunner;
    let baseId: string;
    let root: string;
    let removeTar: () => Promise<void> = async () => {};

    beforeAll(async () => {
      dockerd = await startPrivateDockerd({ runner: real });
      runner = withEnv(real, dockerd.env);
      const { tar, remove } = await tinyRootfsTar(real, nonce);
      removeTar = remove;
      baseId = (await runner.run('docker', ['import', tar, baseRef])).stdout.trim().split('\n').at(-1)!;
      root = await mkdtemp(join(tmpdir(), 'kubernaut-build-cancel-loop-'));
    });

    afterAll(async () => {
      await dockerd?.stop();
      await removeTar();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it(`a failing run with a sibling build in flight leaves 0 images and 0 containers, ${RUNS} runs in a row`, async () => {
      const results = await failingRunsWithSiblingInFlight({
        engine: (ledger) => createDockerEngine(runner, { ledger }),
        root,
        baseRef,
        nonce,
        runs: RUNS,
        steps: 30,
        contents: () => dockerLeftovers(runner, { baseId }, {}),
        clear: async (left) => {
          if (left.containers.length > 0)
            await runner.run('docker', ['rm', '--force', ...left.containers.map((c) => c.split(' ')[0]!)]);
          for (const image of [...left.images].reverse())
            await runner.run('docker', ['rmi', '--force', image.split(' ')[0]!]).catch(() => {});
        },
      });
      console.log(results.map((r) => JSON.stringify(r)).join('\n'));
      expect(results.filter((r) => r.images + r.containers + r.cleanupFailed > 0)).toEqual([]);
    }, 600_000);
  },
);
