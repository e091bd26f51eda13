import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelledError,
  CommandError,
  type CommandRunner,
  createCommandRunner,
  type LogLine,
  RunLedger,
} from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { type PrivateDockerd, startPrivateDockerd, withEnv } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImageForKind } from './build-image.js';
import { createDockerEngine } from './engines/docker-engine.js';
import { dockerLeftovers } from './testing-internal/leftovers.js';
import { tinyRootfsTar } from './testing-internal/tiny-base-image.js';

/*
 * The same cancellations against a real Docker engine: a private dockerd this file starts in a temp
 * directory (and stops afterwards), so every container and image in it is this test's. docker's legacy
 * builder commits each step as an untagged image WITHOUT the build's labels — the "1 or 2 untagged images"
 * a failed run used to leave — so they are found from the build's output.
 */

describeWithBinaries(
  ['dockerd', 'docker', 'tar', 'ldd'],
  { dockerd: 'docker.io', docker: 'docker.io', tar: 'tar', ldd: 'libc-bin' },
  () => {
    const real = createCommandRunner();
    const nonce = randomBytes(6).toString('hex');
    const baseRef = `kubernaut-e2e-test/run-base:${nonce}`;
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
      root = await mkdtemp(join(tmpdir(), 'kubernaut-build-cancel-docker-'));
    });

    afterAll(async () => {
      await dockerd?.stop();
      await removeTar();
      if (root) await rm(root, { recursive: true, force: true });
    });

    async function service(name: string, run: string) {
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, 'Dockerfile'),
        `FROM ${baseRef}\nRUN echo ${name}-${nonce} > /one\nRUN echo two-${nonce} > /two\n${run}\nRUN echo never > /never\n`,
      );
      let started: () => void = () => {};
      const running = new Promise<void>((resolve) => {
        started = resolve;
      });
      return {
        config: {
          serviceName: name,
          imageName: `kubernaut-e2e-test/${name}`,
          dockerfilePath: `${name}/Dockerfile`,
          buildContextPath: name,
          consumer: 'cancel-int',
        },
        log: (line: LogLine) => {
          if (line.text === `started-${name}-${nonce}`) started();
        },
        running,
      };
    }

    const nothingLeft = async () => dockerLeftovers(runner, { baseId }, {});

    it('a build cancelled mid-RUN by a failing sibling leaves no container, no image and no tag', async () => {
      const s = await service('sibling', `RUN echo started-sibling-${nonce} && sleep 3600`);
      const ledger = new RunLedger();
      const controller = new AbortController();
      const building = buildImageForKind(s.config, {
        engine: createDockerEngine(runner),
        projectRoot: root,
        env: {},
        ledger,
        log: s.log,
        signal: controller.signal,
      }).catch((e: unknown) => e);
      await s.running;
      // The RUN step's container and the committed steps exist now: the test is real.
      const during = await nothingLeft();
      expect(during.containers.length).toBe(1);
      expect(during.images.length).toBeGreaterThanOrEqual(2);

      controller.abort(new Error('step build:datastorage failed'));
      expect(await building).toBeInstanceOf(CancelledError);
      expect((await ledger.cleanup()).failed).toEqual([]);
      // The daemon removes the step's container once it noticed the client went away (--force-rm).
      expect(await nothingLeft()).toEqual({ containers: [], images: [] });
    });

    it('a failed build (a RUN step exits 3) leaves none of the untagged images it committed', async () => {
      const s = await service('failing', 'RUN exit 3');
      const ledger = new RunLedger();
      const error = await buildImageForKind(s.config, {
        engine: createDockerEngine(runner),
        projectRoot: root,
        env: {},
        ledger,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CommandError);
      expect((error as Error).message).toContain('returned a non-zero code: 3');
      expect((await ledger.cleanup()).failed).toEqual([]);
      expect(await nothingLeft()).toEqual({ containers: [], images: [] });
    });

    it('a build stopped at its timeout mid-RUN leaves nothing either', async () => {
      const s = await service('deadline', `RUN echo started-deadline-${nonce} && sleep 3600`);
      const ledger = new RunLedger();
      const error = await buildImageForKind(
        { ...s.config, timeoutMs: 5_000 },
        { engine: createDockerEngine(runner), projectRoot: root, env: {}, ledger },
      ).catch((e: unknown) => e);
      expect((error as CommandError).timedOut).toBe(true);
      expect((await ledger.cleanup()).failed).toEqual([]);
      expect(await nothingLeft()).toEqual({ containers: [], images: [] });
    });
  },
);
