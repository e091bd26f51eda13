/**
 * What `pnpm bench:load` and `pnpm bench:registry` share: both real engines (podman, and a private dockerd the
 * harness starts in a temp directory), the four-image workload and formatting (medians come from `@kubernaut-e2e/bench-support`).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CommandRunner,
  type ContainerEngine,
  installSignalCleanup,
  RunLedger,
} from '@kubernaut-e2e/core';
import {
  buildImageForKind,
  buildImagesForKind,
  createDockerEngine,
  createPodmanEngine,
} from '@kubernaut-e2e/image-builder';
import { startPrivateDockerd, withEnv } from '@kubernaut-e2e/test-harness';

export type EngineName = 'podman' | 'docker';

export interface BenchEngine {
  readonly name: EngineName;
  readonly engine: ContainerEngine;
  /** The runner the engine uses (docker's carries `DOCKER_HOST` of the private dockerd). */
  readonly runner: CommandRunner;
  /** A new engine over the same store, knowing nothing yet: what a new run of the CLI starts with. */
  fresh(): ContainerEngine;
}

/** podman as installed, and docker against a private dockerd (never a Docker the machine may run). */
export async function startEngines(
  real: CommandRunner,
): Promise<{ engines: BenchEngine[]; stop: () => Promise<void> }> {
  const dockerd = await startPrivateDockerd({ runner: real });
  const stopDockerd = untilStopped('private dockerd', () => dockerd.stop());
  const docker = withEnv(real, dockerd.env);
  const podmanEngine = () => createPodmanEngine(real);
  const dockerEngine = () => createDockerEngine(docker);
  return {
    engines: [
      { name: 'podman', engine: podmanEngine(), runner: real, fresh: podmanEngine },
      { name: 'docker', engine: dockerEngine(), runner: docker, fresh: dockerEngine },
    ],
    stop: stopDockerd,
  };
}

/** The four services of kubernaut's E2E suites; each image = a shared base layer + its own small app layer. */
export const SERVICES = ['gateway', 'datastorage', 'notification', 'authwebhook'] as const;
/** The shared base layer: random bytes, so no compression flatters either side. */
export const BASE_BYTES = 20 * 1024 * 1024;
/** Each image's own layer (the "binary" a one-line change rebuilds). */
export const APP_BYTES = 256 * 1024;

export interface Workload {
  readonly refs: readonly string[];
  /** Each built reference's image ID, as its build reported it (what a setup's load step is given). */
  readonly imageIds: Readonly<Record<string, string>>;
  /** Rebuilds the first image with a new app layer (a one-layer change) and returns the refs with it swapped in. */
  changeOneLayer(salt: string): Promise<string[]>;
}

/** Builds the base and the four images with `engine` under `root` (`FROM scratch`, no registry needed). */
export async function buildWorkload(
  bench: BenchEngine,
  root: string,
  ledger: RunLedger,
  prefix: string,
): Promise<Workload> {
  const dir = join(root, bench.name);
  const nonce = randomBytes(6).toString('hex');
  const options = { engine: bench.engine, projectRoot: root, ledger, env: {} };
  await mkdir(join(dir, 'base'), { recursive: true });
  await writeFile(join(dir, 'base/Dockerfile'), 'FROM scratch\nCOPY base.bin /base.bin\n');
  await writeFile(join(dir, 'base/base.bin'), randomBytes(BASE_BYTES));
  const base = await buildImageForKind(
    {
      serviceName: 'base',
      imageName: `${prefix}/base`,
      dockerfilePath: `${bench.name}/base/Dockerfile`,
      buildContextPath: `${bench.name}/base`,
      tag: `base-${nonce}`,
    },
    options,
  );
  const imageIds: Record<string, string> = {};
  const build = async (services: readonly string[]) => {
    for (const service of services) {
      await mkdir(join(dir, service), { recursive: true });
      await writeFile(join(dir, service, 'Dockerfile'), `FROM ${base.ref}\nCOPY app.bin /app.bin\n`);
    }
    const built = await buildImagesForKind(
      services.map((service) => ({
        serviceName: service,
        imageName: `${prefix}/${service}`,
        dockerfilePath: `${bench.name}/${service}/Dockerfile`,
        buildContextPath: `${bench.name}/${service}`,
        consumer: 'bench',
      })),
      { ...options, concurrency: 2 },
    );
    for (const b of built) imageIds[b.ref] = b.id;
    return built.map((b) => b.ref);
  };
  for (const service of SERVICES) {
    await mkdir(join(dir, service), { recursive: true });
    await writeFile(join(dir, service, 'app.bin'), randomBytes(APP_BYTES));
  }
  const refs = await build(SERVICES);
  return {
    refs,
    imageIds,
    async changeOneLayer(salt) {
      await writeFile(
        join(dir, SERVICES[0], 'app.bin'),
        Buffer.concat([Buffer.from(salt), randomBytes(APP_BYTES)]),
      );
      const [changed] = await build([SERVICES[0]]);
      return [changed!, ...refs.slice(1)];
    },
  };
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

/** A fixed-width table row, so both engines' numbers line up column by column. */
export function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => cell.padEnd(widths[i] ?? 12)).join('  ');
}

export async function cleanUp(ledger: RunLedger): Promise<void> {
  const report = await ledger.cleanup();
  if (report.failed.length)
    console.error(
      'cleanup failures:',
      report.failed.map((f) => `${f.name}: ${f.error.message}`),
    );
}

export { RunLedger };

/*
 * What a bench has started and not yet stopped: the private dockerd, registries, containerds, a run's ledger (its
 * archives) and the built images. The harness starts every daemon in its own process group, so a Ctrl-C reaches
 * only the bench; on SIGINT or SIGTERM it stops them all, as at its normal end, and exits.
 */
const open = new RunLedger();

let stopping = false;

/** Call once, first thing in a bench's `main`. */
export function stopEverythingOnSignal(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      stopping = true;
    });
  installSignalCleanup(open);
}

/** A bench's last word on an error; none while a signal stops it (its commands fail as their daemons go). */
export function benchFailed(error: unknown): void {
  if (stopping) return;
  console.error(error);
  process.exitCode = 1;
}

/**
 * Keeps `stop` in the list a signal empties until it has run; returns the stop to call instead of `stop` (it runs
 * `stop` and takes it off the list).
 */
export function untilStopped(name: string, stop: () => Promise<void>): () => Promise<void> {
  const entry = open.record({ kind: 'other', name, dispose: stop });
  return async () => {
    await stop();
    open.release(entry);
  };
}

/**
 * A TCP relay in front of a registry that counts every byte in both directions: what pushes and pulls really
 * move over the wire (the registry's storage would hide a layer uploaded twice by two concurrent pushes).
 */
export async function startCountingProxy(
  targetPort: number,
): Promise<{ port: number; bytes: () => number; stop: () => Promise<void> }> {
  const { createServer, connect } = await import('node:net');
  let bytes = 0;
  const sockets = new Set<import('node:net').Socket>();
  // No Nagle on either leg: each write is passed on at once, as on a direct connection.
  const server = createServer({ noDelay: true }, (client) => {
    const upstream = connect({ port: targetPort, host: '127.0.0.1', noDelay: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    upstream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    bytes: () => bytes,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
