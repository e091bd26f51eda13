import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandResult, CommandRunner, RunningCommand } from '@kubernaut-e2e/core';

/**
 * A containerd of our own — its own root, state and socket in a temp directory — standing in for the
 * containerd inside a kind node. Used by integration tests and `pnpm bench:load` to import archives
 * exactly as `kind load` does on a node (`ctr -n k8s.io images import --all-platforms --digests -`).
 */
export interface PrivateContainerd {
  /** The gRPC socket (`ctr --address`). */
  readonly address: string;
  /** The temp directory holding root, state, socket and config. */
  readonly dir: string;
  /** Runs `ctr --address <socket> -n k8s.io <args>`. */
  ctr(args: readonly string[], input?: Uint8Array | string): Promise<CommandResult>;
  /** `ctr images import` as a kind node runs it, reading the archive from stdin. */
  importArchive(archivePath: string): Promise<void>;
  /** Every image name in the k8s.io namespace (`ctr images ls -q`). */
  imageNames(): Promise<string[]>;
  /** Kills containerd, unmounts anything left under its root and removes the directory. Idempotent. */
  stop(): Promise<void>;
}

/** containerd's config: private paths, and the CRI plugin off (it wants a CNI setup we do not need). */
function configToml(dir: string): string {
  return [
    'version = 2',
    `root = "${join(dir, 'root')}"`,
    `state = "${join(dir, 'state')}"`,
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    '[grpc]',
    `  address = "${join(dir, 'containerd.sock')}"`,
    '[ttrpc]',
    `  address = "${join(dir, 'containerd.sock.ttrpc')}"`,
    '[debug]',
    '  level = "warn"',
    '',
  ].join('\n');
}

async function unmountBelow(runner: CommandRunner, dir: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8').catch(() => ''))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((target) => target.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const target of mounts) await runner.run('umount', [target]).catch(() => undefined);
}

/** Starts containerd and resolves once `ctr version` answers on its socket. */
export async function startPrivateContainerd(
  runner: CommandRunner,
  options: { binary?: string; ctr?: string } = {},
): Promise<PrivateContainerd> {
  // Short path: a unix socket path must stay under 108 bytes.
  const dir = await mkdtemp(join(tmpdir(), 'kubernaut-ctrd-'));
  const address = join(dir, 'containerd.sock');
  const ctrBinary = options.ctr ?? 'ctr';
  await writeFile(join(dir, 'config.toml'), configToml(dir));
  let daemon: RunningCommand | undefined;
  let stopped = false;

  const ctr = (args: readonly string[], input?: Uint8Array | string) =>
    runner.run(
      ctrBinary,
      ['--address', address, '-n', 'k8s.io', ...args],
      input === undefined ? {} : { input },
    );

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await daemon?.stop();
    await unmountBelow(runner, dir);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    daemon = runner.start(options.binary ?? 'containerd', ['--config', join(dir, 'config.toml')]);
    daemon.done.catch(() => undefined);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (existsSync(address)) {
        const ok = await runner
          .run(ctrBinary, ['--address', address, 'version'], { timeoutMs: 5_000 })
          .then(() => true)
          .catch(() => false);
        if (ok) break;
      }
      if (Date.now() > deadline) throw new Error(`containerd did not answer on ${address} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    address,
    dir,
    ctr,
    async importArchive(archivePath) {
      await ctr(['images', 'import', '--all-platforms', '--digests', '-'], await readFile(archivePath));
    },
    async imageNames() {
      const result = await ctr(['images', 'ls', '-q']);
      return result.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    },
    stop,
  };
}
