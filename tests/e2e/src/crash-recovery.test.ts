import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import {
  isSleepRunning,
  LEFTOVER_KINDS,
  leftoverCount,
  newSince,
  type Sweep,
  tinyRootfsTar,
  until,
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
 * Crash recovery on the real toolchain: `kubernaut-e2e up gateway --runtime podman` killed with SIGKILL (no cleanup
 * can run) in the middle of a build and in the middle of a load. Its ledger on disk is all that is left to go by:
 * `status` lists what the dead run left, and `down` removes all of it — the sweep then finds nothing new.
 */

putPostgresOnPath();

const EMPTY = Object.fromEntries(LEFTOVER_KINDS.map((k) => [k, []])) as unknown as Sweep;

describeWithBinaries(
  [...Object.keys(GATEWAY_REAL_BINARIES), 'tar', 'ldd'],
  { ...GATEWAY_REAL_BINARIES, tar: 'tar', ldd: 'libc-bin' },
  () => {
    let world: GatewayWorld;
    let w: CliWorld;
    let base: string;
    let removeTar = async () => {};

    beforeAll(async () => {
      world = await startGatewayWorld('crash-recovery');
      w = await startCliWorld(world, 'podman');
      const { tar, remove } = await tinyRootfsTar(world.real, world.nonce);
      removeTar = remove;
      base = `localhost/kubernaut-e2e-test/crash-base:${world.nonce}`;
      await w.store.runner.run('podman', ['import', tar, base]);
    }, 120_000);

    afterAll(async () => {
      await w?.stop();
      await removeTar();
      await world?.stop();
    }, 120_000);

    it.each(['build', 'load'] as const)(
      'SIGKILL mid-%s: `status` lists what the run left, `down` removes all of it',
      async (step) => {
        const project = await w.project(`killed-${step}`);
        const cluster = `crash-${world.nonce}-${step}`;
        const seconds = step === 'build' ? 3100 : 3200;
        if (step === 'build') {
          writeFileSync(
            join(project, 'docker', 'gateway.Dockerfile'),
            `FROM ${base}\nARG GOFLAGS=""\nARG GOARCH=amd64\nCOPY cmd/gateway/ /app/\nRUN ["/bin/sleep", "${seconds}"]\n`,
          );
        } else {
          w.bin.fault = { step: 'load', mode: 'hang', stderr: `stand-in load hangs ${world.nonce}` };
        }
        await world.freshDatabase();
        const before = await w.sweep();
        const up = await w.cli(
          ['up', 'gateway', '--runtime', 'podman', '--cluster-name', cluster],
          project,
          {},
          (child) => {
            const reached =
              step === 'build'
                ? until(() => isSleepRunning(seconds), 'the build RUN step')
                : w.bin.faultReached();
            void reached.then(() => child.kill('SIGKILL'));
          },
        );
        w.bin.fault = undefined;
        expect(up.code).toBe(null); // killed, no exit code
        const left = newSince(before, await w.sweep());
        // The dead run left its cluster, its ledger and (mid-build) the build still running.
        expect(left.clusters).toEqual([cluster]);
        expect(left.ledgers).toHaveLength(1);
        if (step === 'build') expect(isSleepRunning(seconds)).toBe(true);

        const status = await w.cli(['status'], project);
        expect(status.code).toBe(0);
        expect(status.stdout).toContain('Left by runs that died');
        expect(status.stdout).toMatch(/run \S+ of gateway \(pid \d+, started /);
        expect(status.stdout).toContain(cluster);
        // Each thing once, though both the scheduler and the kind adapter record the cluster.
        expect(status.stdout.split(`cluster ${cluster}`).length - 1).toBe(1);

        const down = await w.cli(['down', 'gateway', '--cluster-name', cluster], project);
        console.log(
          `SIGKILL mid-${step}\n$ kubernaut-e2e status\n${status.stdout}\n$ kubernaut-e2e down gateway\n${down.stdout}`,
        );
        expect({ code: down.code, stderr: down.stderr }).toEqual({ code: 0, stderr: '' });
        expect(down.stdout).not.toMatch(/^Nothing to remove/m);
        const after = newSince(before, await w.sweep());
        if (leftoverCount(after) > 0) await w.standIn.stopAll();
        expect(after).toEqual(EMPTY);
        expect(isSleepRunning(seconds)).toBe(false);
        await rm(project, { recursive: true, force: true });
      },
      120_000,
    );
  },
);
