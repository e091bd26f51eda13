import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandRunner, createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { type PrivateDockerd, startPrivateDockerd, withEnv } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImagesForKind } from './build-images.js';
import { createDockerEngine } from './engines/docker-engine.js';
import { dockerLeftovers } from './testing-internal/leftovers.js';
import { tinyRootfsTar } from './testing-internal/tiny-base-image.js';

/*
 * A failing run with builds in flight, on a real Docker engine (a private dockerd, so everything in it is this
 * test's), ten times over: one image's build fails at once while its sibling is somewhere in a long row of quick
 * steps — wherever the failure catches it (running a step, committing one, between two). docker's classic builder
 * goes on after its client is stopped: it finishes the step in progress and commits it. Whatever point the sibling
 * was stopped at, the run's cleanup must leave no image and no container behind. A loop over real timing, not a
 * timing assertion: each run is stopped wherever the failure lands.
 */
const RUNS = 10;
const STEPS = 30;

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
      const results: { run: number; images: number; containers: number; cleanupFailed: number }[] = [];
      for (let run = 0; run < RUNS; run++) {
        const dir = join(root, `run-${run}`);
        await mkdir(dir, { recursive: true });
        // Fresh content every run: no step is a cache hit, every one runs and commits.
        const steps = Array.from({ length: STEPS }, (_, i) =>
          i % 2 === 0 ? `RUN echo ${nonce}-${run}-${i} > /step-${i}` : `LABEL step-${i}="${nonce}-${run}"`,
        );
        await writeFile(join(dir, 'long.Dockerfile'), `FROM ${baseRef}\n${steps.join('\n')}\n`);
        await writeFile(
          join(dir, 'broken.Dockerfile'),
          `FROM ${baseRef}\nRUN echo ${nonce}-${run} > /first\nCOPY no-such-file-${run} /x\n`,
        );
        await writeFile(join(dir, 'present.txt'), `${nonce}-${run}\n`);
        const ledger = new RunLedger();
        const error = await buildImagesForKind(
          [
            {
              serviceName: 'long',
              imageName: 'kubernaut-e2e-test/loop-long',
              dockerfilePath: `run-${run}/long.Dockerfile`,
              buildContextPath: `run-${run}`,
            },
            {
              serviceName: 'broken',
              imageName: 'kubernaut-e2e-test/loop-broken',
              dockerfilePath: `run-${run}/broken.Dockerfile`,
              buildContextPath: `run-${run}`,
            },
          ],
          {
            engine: createDockerEngine(runner, { ledger }),
            projectRoot: root,
            env: {},
            ledger,
            concurrency: 2,
          },
        ).catch((e: unknown) => e);
        expect((error as Error).message).toContain(`no-such-file-${run}`);
        const cleanup = await ledger.cleanup();
        const left = await dockerLeftovers(runner, { baseId }, {});
        results.push({
          run,
          images: left.images.length,
          containers: left.containers.length,
          cleanupFailed: cleanup.failed.length,
        });
        // A run's leftovers must not be counted again in the next one.
        if (left.containers.length > 0)
          await runner.run('docker', ['rm', '--force', ...left.containers.map((c) => c.split(' ')[0]!)]);
        for (const image of left.images.reverse())
          await runner.run('docker', ['rmi', '--force', image.split(' ')[0]!]).catch(() => {});
      }
      console.log(results.map((r) => JSON.stringify(r)).join('\n'));
      expect(results.filter((r) => r.images + r.containers + r.cleanupFailed > 0)).toEqual([]);
    }, 600_000);
  },
);
