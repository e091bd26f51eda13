import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanupOrphanedRun, createCommandRunner, findOrphanedRuns, RUN_LABEL } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { until, withEnv } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPodmanEngine } from './engines/podman-engine.js';
import { procTree } from './engines/proc-tree.js';
import { createImageOrphanRemovers } from './orphan-removers.js';
import { podmanLeftovers } from './testing-internal/leftovers.js';
import { tinyRootfsTar } from './testing-internal/tiny-base-image.js';

/*
 * Crash recovery, for real: a run (a child node process) builds with real podman into a ledger kept on disk
 * and is killed with SIGKILL in the middle of a RUN step. Nothing of its cleanup runs, and its podman build
 * goes on without it. A later process finds the dead run's ledger, stops the orphaned build the safe way
 * (its RUN step, never podman itself) and removes everything the build made: nothing is left.
 */

const CHILD_TIMEOUT_MS = 120_000;

/*
 * The child runs the current TypeScript source (dist/ may be stale) the one way the workspace does (core's
 * testing-internal/typescript-child.ts): tsx's ESM loader,
 * with the `@kubernaut-e2e/source` condition so image-builder's own `@kubernaut-e2e/core` import is core's source.
 */
const TYPESCRIPT_NODE_ARGS = [
  '--conditions=@kubernaut-e2e/source',
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href,
];
const CORE_SOURCE = resolve(import.meta.dirname, '../../core/src/index.ts');

describeWithBinaries(['podman', 'tar', 'ldd'], { podman: 'podman', tar: 'tar', ldd: 'libc-bin' }, () => {
  const real = createCommandRunner();
  const runner = withEnv(real, { BUILDAH_ISOLATION: 'chroot' });
  const nonce = randomBytes(6).toString('hex');
  const baseRef = `localhost/kubernaut-e2e-test/orphan-base:${nonce}`;
  let baseId: string;
  let root: string;
  let removeTar: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const { tar, remove } = await tinyRootfsTar(real, nonce);
    removeTar = remove;
    baseId = (await real.run('podman', ['import', tar, baseRef])).stdout.trim().split('\n').at(-1)!;
    root = await mkdtemp(join(tmpdir(), 'kubernaut-build-orphan-int-'));
  }, CHILD_TIMEOUT_MS);

  afterAll(async () => {
    await real.run('podman', ['rmi', baseRef]).catch(() => {});
    await removeTar();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it(
    'a run killed with SIGKILL mid-build is found as an orphan; its build is stopped and all it made removed',
    async () => {
      const stateDir = join(root, 'state');
      await mkdir(join(root, 'app'), { recursive: true });
      await writeFile(
        join(root, 'app', 'Dockerfile'),
        // The RUN step goes on printing: a podman whose output were a pipe would die of SIGPIPE at the next line
        // once the run is killed, leaving its working container.
        `FROM ${baseRef}\nRUN echo app-${nonce} > /one\nRUN echo started-${nonce} && while true; do echo tick; sleep 0.1; done\n`,
      );
      const script = join(root, `run-${nonce}.mjs`);
      await writeFile(
        script,
        `
        import { createCommandRunner, RunLedger } from ${JSON.stringify(CORE_SOURCE)};
        import { buildImageForKind, createPodmanEngine } from ${JSON.stringify(join(import.meta.dirname, 'index.ts'))};
        const real = createCommandRunner();
        const env = { BUILDAH_ISOLATION: 'chroot' };
        const runner = {
          run: (f, a, o = {}) => real.run(f, a, { ...o, env: { ...env, ...o.env } }),
          start: (f, a, o = {}) => real.start(f, a, { ...o, env: { ...env, ...o.env } }),
        };
        const ledger = new RunLedger({ persist: { service: 'gateway', stateDir: ${JSON.stringify(stateDir)} } });
        console.log('run ' + ledger.runId);
        await buildImageForKind(
          { serviceName: 'app', imageName: 'kubernaut-e2e-test/orphan-app', dockerfilePath: 'app/Dockerfile', buildContextPath: 'app' },
          {
            engine: createPodmanEngine(runner, { ledger }),
            projectRoot: ${JSON.stringify(root)},
            env: {},
            ledger,
            log: (line) => { if (line.text === 'started-${nonce}') console.log('mid-build'); },
          },
        );
        `,
      );
      const child = real.start(process.execPath, [...TYPESCRIPT_NODE_ARGS, script]);
      let buildPid: number | undefined;
      try {
        const runId = (await child.waitForLine(/^run /, CHILD_TIMEOUT_MS)).slice('run '.length);
        await child.waitForLine(/^mid-build$/, CHILD_TIMEOUT_MS);

        process.kill(child.pid!, 'SIGKILL');
        await child.done.catch(() => {});

        // The run is dead; what it recorded is on disk, and its podman build runs on without it.
        const { orphans } = findOrphanedRuns(stateDir);
        expect(orphans.map((o) => o.run.runId)).toEqual([runId]);
        const entries = orphans[0]!.run.entries;
        expect(entries.map((e) => e.kind).sort()).toEqual(['image', 'process', 'temp-dir']);
        buildPid = Number(entries.find((e) => e.kind === 'process')?.resource?.details?.pid);
        // Its output goes to a file in the run's private directory: podman prints on, and lives on.
        const output = join(entries.find((e) => e.kind === 'temp-dir')!.name, 'stdout');
        const ticks = () =>
          existsSync(output) ? readFileSync(output, 'utf8').split('\ntick').length - 1 : 0;
        const atKill = ticks();
        await until(() => ticks() >= atKill + 3, 'three more lines of the RUN step after the run was killed');
        expect(procTree.alive(buildPid)).toBe(true);
        const during = await podmanLeftovers(real, { baseId, runLabel: `${RUN_LABEL}=${runId}` });
        expect(during.containers.length).toBeGreaterThan(0);

        // `down` / the next `up`: the removers for what the image builder records.
        const engine = createPodmanEngine(runner);
        const report = await cleanupOrphanedRun(orphans[0]!, { removers: createImageOrphanRemovers(engine) });

        expect(report?.failed).toEqual([]);
        expect(report?.disposed).toHaveLength(3);
        expect(procTree.alive(buildPid)).toBe(false);
        expect(existsSync(output)).toBe(false);
        expect(await podmanLeftovers(real, { baseId, runLabel: `${RUN_LABEL}=${runId}` })).toEqual({
          containers: [],
          images: [],
        });
        expect(findOrphanedRuns(stateDir).orphans).toEqual([]);
      } finally {
        await child.stop();
        if (buildPid && procTree.alive(buildPid)) procTree.signal(buildPid, 'SIGKILL');
      }
    },
    CHILD_TIMEOUT_MS,
  );
});
