import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '@kubernaut-e2e/core';
import { withEnv } from './private-dockerd.js';

/**
 * Test-only: podman with its own image and container store (`CONTAINERS_STORAGE_CONF` pointing at a graphroot and
 * runroot in a temp dir). Everything in it is the test's, so a sweep of `podman images -a` / `ps -a --external`
 * counts exactly what the test's runs left — never another process's builds on the same machine — and the user's
 * store is never touched. Give `env` to every podman the test runs (and to the CLI processes it starts).
 */
export interface PrivatePodmanStore {
  readonly dir: string;
  readonly env: { readonly CONTAINERS_STORAGE_CONF: string };
  /** The runner with `env` added to every command. */
  readonly runner: CommandRunner;
  /** Removes every image and container in the store, then the store. Idempotent. */
  stop(): Promise<void>;
}

export async function startPrivatePodmanStore(runner: CommandRunner): Promise<PrivatePodmanStore> {
  const dir = await mkdtemp(join(tmpdir(), 'kubernaut-podman-store-'));
  const conf = join(dir, 'storage.conf');
  const graphroot = join(dir, 'graph');
  await writeFile(
    conf,
    `[storage]\ndriver = "overlay"\ngraphroot = "${graphroot}"\nrunroot = "${join(dir, 'run')}"\n`,
  );
  const env = { CONTAINERS_STORAGE_CONF: conf };
  const scoped = withEnv(runner, env);
  // Never clean a store that is not this one (an old podman that ignored the variable would mean the user's).
  const used = (await scoped.run('podman', ['info', '--format', '{{.Store.GraphRoot}}'])).stdout.trim();
  if (used !== graphroot) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`podman ignored CONTAINERS_STORAGE_CONF (store ${used}, expected ${graphroot})`);
  }
  let stopped: Promise<void> | undefined;
  return {
    dir,
    env,
    runner: scoped,
    stop: () => {
      stopped ??= (async () => {
        // buildah's working containers are not podman's: `ps --external` lists them, `rm --force <id>` removes them.
        const listed = await scoped
          .run('podman', ['ps', '--all', '--external', '--quiet'])
          .catch(() => ({ stdout: '' }));
        const ids = listed.stdout.split('\n').filter(Boolean);
        if (ids.length > 0) await scoped.run('podman', ['rm', '--force', ...ids]).catch(() => {});
        await scoped.run('podman', ['rmi', '--all', '--force']).catch(() => {});
        // Whatever overlay mount is still up in the store (a layer of a build that was killed) goes before the files.
        const mounts = (await readFile('/proc/mounts', 'utf8'))
          .split('\n')
          .map((line) => line.split(' ')[1] ?? '')
          .filter((target) => target.startsWith(`${dir}/`))
          .reverse();
        for (const target of mounts) await runner.run('umount', ['-l', target]).catch(() => {});
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
