import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import {
  isSleepRunning,
  leftoverCount,
  type MatrixRow,
  newSince,
  type PrivateDockerd,
  renderMatrix,
  STAND_IN_STEPS,
  startPrivateDockerd,
  tinyRootfsTar,
  until,
  withEnv,
} from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliWorld, startCliWorld } from './support/cli-world.js';
import {
  GATEWAY_REAL_BINARIES,
  type GatewayWorld,
  putPostgresOnPath,
  startGatewayWorld,
} from './support/gateway-world.js';

/*
 * The fault-injection matrix on the real toolchain: `kubernaut-e2e up gateway` (the built binary, as a child process)
 * with real podman — and a real private dockerd for the build and load rows — real containerd as the kind node and
 * real PostgreSQL; kind and the API server are executables on the CLI's PATH (`StandInBin`). Every step kind gets
 * three faults: its command exits non-zero, it hangs past the step's deadline (`KUBERNAUT_E2E_STEP_TIMEOUTS`), or
 * the CLI gets SIGINT while the step runs — and SIGINT while the step runs against a hung control plane (the API
 * server accepts connections and never answers: every kubectl hangs, `kind create cluster` too; for builds it hangs
 * from the start, while the cluster is being created). Builds fail for real (a COPY of a missing directory) and hang
 * for real (a RUN that sleeps); the other steps' faults are the stand-in's. In every cell the exit code is 1 (130 for
 * SIGINT), the message names the step and the tail of its stderr, a sweep that looks everywhere finds nothing new,
 * and a SIGINT cell's process is gone within 10 s of the signal (the CLI's default exit deadline; the table prints
 * the time per cell).
 * The steps after the builds run on a warm build cache (a first successful run built the images), as they would on
 * a developer's machine, which keeps each cell to a few seconds.
 */

putPostgresOnPath();

const STEPS = ['build', ...STAND_IN_STEPS] as const;
type Step = (typeof STEPS)[number];
const FAULTS = ['exit', 'hang', 'sigint', 'sigint-hung'] as const;
type Fault = (typeof FAULTS)[number];
/** A stand-in step's deadline in the hang cells; builds get longer (a real podman build starts first). */
const HANG_MS: Record<Step, number> = {
  build: 8_000,
  // Past the stand-in's node start (a real containerd), so the hang is after the cluster exists.
  'create-cluster': 5_000,
  'install-crds': 2_000,
  namespace: 2_000,
  // Past the real work before `kind load`: listing the node's images and `podman save` of the batch (~1.6 s here
  // unloaded), so the hang is in `kind load` itself.
  load: 6_000,
  manifests: 2_000,
  deploy: 2_000,
  migrate: 2_000,
  'wait-ready': 2_000,
  seed: 2_000,
};

/** How the CLI names each kind's step (the id prefix in its messages). */
const STEP_ID: Record<Step, string> = {
  build: 'build:gateway',
  'create-cluster': 'cluster',
  'install-crds': 'crds',
  namespace: 'namespace',
  load: 'load:',
  manifests: 'manifests:',
  deploy: 'deploy:',
  migrate: 'migrate:',
  'wait-ready': 'ready:',
  seed: 'seed:',
};

/** The message a run ends with: what follows its timeline (the Gantt chart above names every step anyway). */
function finalMessage(stderr: string): string {
  const at = stderr.lastIndexOf('\ntimeline: ');
  return at < 0 ? stderr : stderr.slice(at + 1);
}

/** What the process may take from SIGINT to its exit: the CLI's default exit deadline. */
const SIGNAL_TO_EXIT_S = 10;

const ALL_CELLS: readonly { engine: 'podman' | 'docker'; step: Step; fault: Fault }[] = [
  ...STEPS.flatMap((step) =>
    FAULTS.filter((f) => f !== 'sigint-hung').map((fault) => ({ engine: 'podman' as const, step, fault })),
  ),
  ...(['build', 'load'] as const).flatMap((step) =>
    FAULTS.filter((f) => f !== 'sigint-hung').map((fault) => ({ engine: 'docker' as const, step, fault })),
  ),
  // The hung control plane: every step kind, both engines.
  ...(['podman', 'docker'] as const).flatMap((engine) =>
    STEPS.map((step) => ({ engine, step, fault: 'sigint-hung' as const })),
  ),
];
/**
 * In CI (`CI=true`) a representative subset of the hung-control-plane cells runs, to keep `.ci/run` short (each cell
 * takes 7–40 s here): on podman the build (the API server hangs from the start, while the cluster is created), the
 * cluster creation, the first kubectl step (CRDs), the load, the port-forward (migrate) and the rollout wait; on
 * docker the build, the load and a kubectl apply (deploy). `FAULT_MATRIX_FULL=1` runs all twenty.
 */
const CI_HUNG: Readonly<Record<'podman' | 'docker', readonly Step[]>> = {
  podman: ['build', 'create-cluster', 'install-crds', 'load', 'migrate', 'wait-ready'],
  docker: ['build', 'load', 'deploy'],
};
const subset = process.env.CI === 'true' && !process.env.FAULT_MATRIX_FULL;
/** `FAULT_MATRIX_CELLS=<regexp>` runs only the matching cells (`podman load × hang`), while working on one. */
const only = process.env.FAULT_MATRIX_CELLS ? new RegExp(process.env.FAULT_MATRIX_CELLS) : undefined;
const CELLS = ALL_CELLS.filter(
  (c) =>
    (!only || only.test(`${c.engine} ${c.step} × ${c.fault}`)) &&
    !(subset && c.fault === 'sigint-hung' && !CI_HUNG[c.engine].includes(c.step)),
);

describeWithBinaries(
  [...Object.keys(GATEWAY_REAL_BINARIES), 'dockerd', 'docker', 'tar', 'ldd'],
  { ...GATEWAY_REAL_BINARIES, dockerd: 'docker.io', docker: 'docker.io', tar: 'tar', ldd: 'libc-bin' },
  () => {
    let world: GatewayWorld;
    let dockerd: PrivateDockerd;
    const worlds = new Map<'podman' | 'docker', { w: CliWorld; warm: string; base: string }>();
    const rows: MatrixRow[] = [];
    let removeTar = async () => {};

    beforeAll(async () => {
      world = await startGatewayWorld('fault-matrix');
      dockerd = await startPrivateDockerd({ runner: world.real });
      const { tar, remove } = await tinyRootfsTar(world.real, world.nonce);
      removeTar = remove;
      for (const engine of ['podman', 'docker'] as const) {
        if (!CELLS.some((c) => c.engine === engine)) continue;
        const w = await startCliWorld(world, engine, engine === 'docker' ? dockerd : undefined);
        // A base image with a shell and sleep, for builds whose RUN step hangs.
        const base = `localhost/kubernaut-e2e-test/fm-base:${world.nonce}`;
        const warm = await w.project('warm');
        // Registered before the warm-up can fail, so afterAll stops this world whatever happens.
        worlds.set(engine, { w, warm, base });
        const runner = engine === 'podman' ? w.store.runner : withEnv(world.real, dockerd.env);
        await runner.run(engine, ['import', tar, base]);
        // Warm the build cache: one successful run, its cluster then deleted (its images stay as the cache).
        const cluster = `fm-${world.nonce}-${engine}-warm`;
        await world.freshDatabase();
        const up = await w.cli(['up', 'gateway', '--runtime', engine, '--cluster-name', cluster], warm);
        if (up.code !== 0) throw new Error(`warm-up run failed (${up.code}):\n${up.stderr}`);
        // Not `down`: it removes the images too.
        await w.standIn.run('kind', ['delete', 'cluster', '--name', cluster], {
          env: { KIND_EXPERIMENTAL_PROVIDER: engine },
        });
        await rm(join(w.home, '.kube', 'kubernaut-e2e', `${cluster}.kubeconfig`), { force: true });
      }
    }, 240_000);

    afterAll(async () => {
      if (rows.length > 0) console.log(`\nFault matrix (cells × leftovers)\n\n${renderMatrix(rows)}\n`);
      for (const { w } of worlds.values()) await w.stop();
      await dockerd?.stop();
      await removeTar();
      await world?.stop();
    }, 120_000);

    it.each(CELLS.map((c, i) => ({ ...c, i })))(
      '$engine $step × $fault: exit 1/130, the step and its stderr named, nothing left',
      async ({ engine, step, fault, i }) => {
        const { w, warm, base } = worlds.get(engine)!;
        const cluster = `fm-${world.nonce}-${i}`;
        const sleepSeconds = 3000 + i;
        const marker = `stand-in ${step} fault ${world.nonce}-${i}`;
        const signals = fault === 'sigint' || fault === 'sigint-hung';
        let root = warm;
        if (step === 'build') {
          root = await w.project(`build-${fault}`, warm);
          const dockerfile = join(root, 'docker', 'gateway.Dockerfile');
          writeFileSync(
            dockerfile,
            fault === 'exit'
              ? `${readFileSync(dockerfile, 'utf8')}COPY cmd/no-such-directory-${i}/ /missing/\n`
              : `FROM ${base}\nARG GOFLAGS=""\nARG GOARCH=amd64\nCOPY cmd/gateway/ /app/\nRUN ["/bin/sleep", "${sleepSeconds}"]\n`,
          );
          // The control plane hangs from the start: the cluster is being created while the image builds.
          if (fault === 'sigint-hung') w.bin.apiHung = true;
        } else {
          w.bin.fault = {
            step,
            mode: fault === 'exit' ? 'fail' : fault === 'sigint-hung' ? 'api-hang' : 'hang',
            stderr: marker,
          };
        }
        await world.freshDatabase();
        const before = await w.sweep();
        let signalledAt: number | undefined;
        const interrupt = (child: ChildProcess) => {
          signalledAt = performance.now();
          child.kill('SIGINT');
        };
        const exit = await w.cli(
          ['up', 'gateway', '--runtime', engine, '--cluster-name', cluster],
          root,
          fault === 'hang' ? { KUBERNAUT_E2E_STEP_TIMEOUTS: `${step}=${HANG_MS[step]}ms` } : {},
          (child) => {
            if (!signals) return;
            // Mid-step: the build's RUN step runs, or the faulted command's stderr has reached the CLI's progress log.
            if (step === 'build') {
              void until(() => isSleepRunning(sleepSeconds), `the build's RUN step`).then(() =>
                interrupt(child),
              );
              return;
            }
            let seen = '';
            const watch = (chunk: Buffer) => {
              seen += chunk;
              if (!seen.includes(marker)) return;
              child.stderr?.off('data', watch);
              interrupt(child);
            };
            child.stderr?.on('data', watch);
          },
        );
        w.bin.fault = undefined;
        w.bin.apiHung = false;
        const signalToExit = signalledAt === undefined ? undefined : (exit.exitedAt - signalledAt) / 1000;
        if (process.env.FAULT_MATRIX_VERBOSE) console.log(`${engine} ${step} × ${fault}:\n${exit.stderr}`);
        const leftovers = newSince(before, await w.sweep());
        const message = finalMessage(exit.stderr);
        const stepNamed =
          message.includes(STEP_ID[step]) && (!signals || message.includes('Interrupted in '));
        // The tail: the stand-in's stderr; podman's error for its stopped RUN step; docker's client, stopped, printed
        // only its legacy-builder notice on stderr (the daemon's step output is on stdout).
        const tailNamed = message.includes(
          step !== 'build'
            ? marker
            : fault === 'exit'
              ? `no-such-directory-${i}`
              : engine === 'podman'
                ? `sleep ${sleepSeconds}`
                : 'docs.docker.com/go/buildx',
        );
        rows.push({
          cell: `${engine} ${step} × ${fault}`,
          exitCode: exit.code,
          message: stepNamed && tailNamed,
          seconds: exit.seconds,
          ...(signalToExit === undefined ? {} : { signalToExit }),
          leftovers,
        });
        // A cell's leftovers must not spill into the next: stop whatever cluster is left.
        if (leftoverCount(leftovers) > 0) await w.standIn.stopAll();
        expect({
          code: exit.code,
          stepNamed,
          tailNamed,
          signalled: signals ? signalledAt !== undefined : undefined,
          withinDeadline: signalToExit === undefined ? undefined : signalToExit <= SIGNAL_TO_EXIT_S,
          signalToExit,
          stderr: exit.stderr.slice(-3000),
        }).toMatchObject({
          code: signals ? 130 : 1,
          stepNamed: true,
          tailNamed: true,
          signalled: signals ? true : undefined,
          withinDeadline: signals ? true : undefined,
        });
        expect(leftovers).toEqual(newSince(leftovers, leftovers));
      },
      90_000,
    );
  },
);
