import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandRunner, createCommandRunner, type RunningCommand } from '@kubernaut-e2e/core';

/*
 * A Docker engine of the test's own: `dockerd` with every path in a fresh temp directory, no iptables, no
 * bridge, vfs storage (works inside containers and on any file system), so tests never touch — or depend on —
 * a Docker the machine may run. Started by the image-builder and kind-loader integration tests and by
 * `pnpm bench:load` / `pnpm bench:registry`; `stop()` removes everything it wrote.
 */

export interface PrivateDockerd {
  /** `unix://<dir>/docker.sock`: pass as `DOCKER_HOST`. */
  readonly host: string;
  /** `{ DOCKER_HOST }`, to add to a command's environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly dir: string;
  /** Stops the daemon (and the containerd it started) and removes every file it wrote. Idempotent. */
  stop(): Promise<void>;
}

export interface PrivateDockerdOptions {
  readonly runner?: CommandRunner;
  /** How long to wait for the daemon to say it listens (a generous backstop: the wait ends on the line). */
  readonly readyTimeoutMs?: number;
  readonly dockerdBinary?: string;
}

/**
 * Starts a private dockerd and resolves once it listens on its socket — it waits for the daemon's own
 * `API listen on <socket>` line, not for a time.
 */
export async function startPrivateDockerd(options: PrivateDockerdOptions = {}): Promise<PrivateDockerd> {
  const runner = options.runner ?? createCommandRunner();
  // Short: a unix socket path must stay under ~108 bytes.
  const dir = await mkdtemp(join(tmpdir(), 'ke2e-dockerd-'));
  const socket = join(dir, 'docker.sock');
  let daemon: RunningCommand | undefined;
  const stop = async () => {
    await daemon?.stop();
    // dockerd normally unmounts what it mounted under its exec root (e.g. `netns/default`) when it stops;
    // if one is left, unmount it, or the directory cannot be removed.
    for (const mount of mountsUnder(dir).reverse()) {
      await runner.run('umount', [mount]).catch(() => {});
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    daemon = runner.start(
      options.dockerdBinary ?? 'dockerd',
      [
        '--data-root',
        join(dir, 'root'),
        '--exec-root',
        join(dir, 'exec'),
        '-H',
        `unix://${socket}`,
        '--pidfile',
        join(dir, 'docker.pid'),
        '--iptables=false',
        '--bridge=none',
        '--storage-driver=vfs',
      ],
      // A clean shutdown stops the containerd it started and unmounts; give it time before SIGKILL.
      { forceKillAfterMs: 30_000 },
    );
    await daemon.waitForLine(/API listen on /, options.readyTimeoutMs ?? 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const host = `unix://${socket}`;
  let stopped: Promise<void> | undefined;
  return {
    host,
    env: { DOCKER_HOST: host },
    dir,
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}

/** Mount points at or below `dir` (Linux: `/proc/self/mounts`; elsewhere none are known). */
function mountsUnder(dir: string): string[] {
  try {
    return readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .map((field) => field.replace(/\\040/g, ' '))
      .filter((mount) => mount === dir || mount.startsWith(`${dir}/`));
  } catch {
    return [];
  }
}

/** `runner` with `env` added to every command's environment (e.g. a private dockerd's `DOCKER_HOST`). */
export function withEnv(runner: CommandRunner, env: Readonly<Record<string, string>>): CommandRunner {
  return {
    run: (file, args, options = {}) =>
      runner.run(file, args, { ...options, env: { ...env, ...options.env } }),
    start: (file, args, options = {}) =>
      runner.start(file, args, { ...options, env: { ...env, ...options.env } }),
  };
}
