import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelledError,
  CommandError,
  createCommandRunner,
  type LogLine,
  RUN_LABEL,
  RunLedger,
} from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { withEnv } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImageForKind } from './build-image.js';
import { createPodmanEngine } from './engines/podman-engine.js';
import { podmanHasTag, podmanLeftovers } from './testing-internal/leftovers.js';
import { tinyRootfsTar } from './testing-internal/tiny-base-image.js';

/*
 * Real podman builds cancelled in the middle of a RUN step — by a failing sibling (the run's signal), by
 * their timeout, and by the run's cleanup on SIGINT — must leave nothing: no buildah working container
 * (`podman ps -a --external`), no image (`podman images -a`, untagged intermediates included), no tag.
 *
 * Nothing can be pulled here, so the base image is the host's /bin/sh and sleep, imported from a tar.
 * RUN steps need `BUILDAH_ISOLATION=chroot` on this machine (crun cannot create cgroups in it); it is set
 * in the commands' environment, as a user would in theirs. Every test waits for the state it acts on (the
 * RUN step has printed its marker), never for time.
 */

describeWithBinaries(['podman', 'tar', 'ldd'], { podman: 'podman', tar: 'tar', ldd: 'libc-bin' }, () => {
  const real = createCommandRunner();
  const runner = withEnv(real, { BUILDAH_ISOLATION: 'chroot' });
  const nonce = randomBytes(6).toString('hex');
  const baseRef = `localhost/kubernaut-e2e-test/run-base:${nonce}`;
  let baseId: string;
  let root: string;
  let removeTar: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const { tar, remove } = await tinyRootfsTar(real, nonce);
    removeTar = remove;
    baseId = (await real.run('podman', ['import', tar, baseRef])).stdout.trim().split('\n').at(-1)!;
    root = await mkdtemp(join(tmpdir(), 'kubernaut-build-cancel-int-'));
  });

  afterAll(async () => {
    await real.run('podman', ['rmi', baseRef]).catch(() => {});
    await removeTar();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** A service whose second RUN prints a marker and then runs until it is stopped. */
  async function hangingService(name: string) {
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'Dockerfile'),
      `FROM ${baseRef}\nRUN echo ${name}-${nonce} > /one\nRUN echo started-${name}-${nonce} && sleep 3600\nRUN echo never > /never\n`,
    );
    const marker = `started-${name}-${nonce}`;
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
      /** The build's log: resolves `running` once the RUN step printed its marker. */
      log: (line: LogLine) => {
        if (line.text === marker) started();
      },
      running,
    };
  }

  async function expectNothingLeft(runId: string, ref: string | undefined) {
    const left = await podmanLeftovers(real, { baseId, runLabel: `${RUN_LABEL}=${runId}` });
    expect(left).toEqual({ containers: [], images: [] });
    if (ref) expect(await podmanHasTag(real, ref)).toBe(false);
  }

  it('a build cancelled mid-RUN by a failing sibling leaves no working container, no image and no tag', async () => {
    const service = await hangingService('sibling');
    const ledger = new RunLedger();
    const controller = new AbortController();
    const building = buildImageForKind(service.config, {
      engine: createPodmanEngine(runner),
      projectRoot: root,
      env: {},
      ledger,
      log: service.log,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await service.running;
    // While the step runs, buildah's working containers and the first step's image exist: the test is real.
    const during = await podmanLeftovers(real, { baseId, runLabel: `${RUN_LABEL}=${ledger.runId}` });
    expect(during.containers.length).toBeGreaterThan(0);
    expect(during.images.length).toBeGreaterThan(0);

    controller.abort(new Error('step build:datastorage failed'));
    const error = await building;

    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toContain('step build:datastorage failed');
    const ref = ledger.entries.find((e) => e.kind === 'image')?.name;
    const report = await ledger.cleanup();
    expect(report.failed).toEqual([]);
    await expectNothingLeft(ledger.runId, ref);
  });

  it('a build stopped at its timeout mid-RUN leaves nothing either', async () => {
    const service = await hangingService('deadline');
    const ledger = new RunLedger();
    // The RUN step never ends by itself, so its deadline is certain to pass, whatever the machine's speed.
    const error = await buildImageForKind(
      { ...service.config, timeoutMs: 5_000 },
      { engine: createPodmanEngine(runner), projectRoot: root, env: {}, ledger, log: service.log },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).timedOut).toBe(true);
    const ref = ledger.entries.find((e) => e.kind === 'image')?.name;
    expect((await ledger.cleanup()).failed).toEqual([]);
    await expectNothingLeft(ledger.runId, ref);
  });

  it("SIGINT: the run's cleanup stops the running build first, then removes what it made", async () => {
    const service = await hangingService('interrupted');
    const ledger = new RunLedger();
    const building = buildImageForKind(service.config, {
      // The engine records each running build in the ledger, as a setup wires it.
      engine: createPodmanEngine(runner, { ledger }),
      projectRoot: root,
      env: {},
      ledger,
      log: service.log,
    }).catch((e: unknown) => e);
    await service.running;
    // The image it builds, the build itself, and the private directory its output goes to.
    expect(ledger.entries.map((e) => e.kind).sort()).toEqual(['image', 'process', 'temp-dir']);
    const named = (kind: string) => ledger.entries.find((e) => e.kind === kind)!.name;
    const [outputDir, build, image] = [named('temp-dir'), named('process'), named('image')];

    // What installSignalCleanup does on Ctrl-C: clean the ledger while the build is still running.
    const report = await ledger.cleanup();

    expect(await building).toBeInstanceOf(CancelledError);
    expect(report.failed).toEqual([]);
    // The output directory goes either with the build that owns it or with the cleanup, whichever is first.
    expect(report.disposed).toEqual(expect.arrayContaining([build, image]));
    expect(existsSync(outputDir)).toBe(false);
    await expectNothingLeft(ledger.runId, service.config.imageName);
  });
});
