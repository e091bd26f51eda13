import { randomBytes } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandRunner, createCommandRunner } from '@kubernaut-e2e/core';
import { TEST_DATABASE } from '@kubernaut-e2e/datastorage';
import { FIXTURE_PROJECT_ROOT } from '@kubernaut-e2e/setup';
import { findPostgresBinDir, type PostgresServer, startPostgres } from '@kubernaut-e2e/test-harness';

/*
 * The world the gateway's real-toolchain tests set up in: a real PostgreSQL with the credentials the gateway's
 * stack declares, a work directory, and copies of the fixture project whose image contents are unique to the copy.
 * Shared by the real-runtime, fault-matrix and crash-recovery tests.
 */

/** The binaries these tests need, with the Debian package of each (for `describeWithBinaries`). */
export const GATEWAY_REAL_BINARIES = {
  podman: 'podman',
  initdb: 'postgresql',
  pg_ctl: 'postgresql',
  containerd: 'containerd',
  ctr: 'containerd',
  kubectl: 'kubernetes-client',
} as const;

/** Debian keeps the PostgreSQL server binaries out of PATH; `describeWithBinaries` must find them. */
export function putPostgresOnPath(): void {
  const pgBin = findPostgresBinDir();
  if (pgBin && !process.env.PATH?.split(':').includes(pgBin))
    process.env.PATH = `${pgBin}:${process.env.PATH ?? ''}`;
}

export interface GatewayWorld {
  readonly real: CommandRunner;
  readonly postgres: PostgresServer;
  readonly work: string;
  readonly nonce: string;
  /** A copy of the fixture project whose image contents are unique to this copy (no cache hits from elsewhere). */
  projectCopy(label: string): Promise<string>;
  /** An empty gateway database, as a fresh in-cluster PostgreSQL has. */
  freshDatabase(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGatewayWorld(prefix: string): Promise<GatewayWorld> {
  const real = createCommandRunner();
  const nonce = randomBytes(4).toString('hex');
  const postgres = await startPostgres({ runner: real });
  const admin = await postgres.connect('postgres');
  try {
    await admin.query(`CREATE ROLE ${TEST_DATABASE.user} LOGIN PASSWORD '${TEST_DATABASE.password}'`);
  } finally {
    await admin.end();
  }
  const work = await mkdtemp(join(tmpdir(), `kubernaut-${prefix}-`));
  return {
    real,
    postgres,
    work,
    nonce,
    async projectCopy(label) {
      const root = join(work, label);
      await cp(FIXTURE_PROJECT_ROOT, root, { recursive: true });
      await appendFile(join(root, 'cmd', 'gateway', 'README.txt'), `\nrun ${nonce}-${label}\n`);
      await appendFile(join(root, 'cmd', 'datastorage', 'README.txt'), `\nrun ${nonce}-${label}\n`);
      // The suite's kind config mounts ./coverdata; kind refuses a mount whose host directory does not exist.
      await mkdir(join(root, 'coverdata'));
      return root;
    },
    async freshDatabase() {
      const client = await postgres.connect('postgres');
      try {
        await client.query(`DROP DATABASE IF EXISTS ${TEST_DATABASE.database}`);
        await client.query(`CREATE DATABASE ${TEST_DATABASE.database} OWNER ${TEST_DATABASE.user}`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      await postgres.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/**
 * Host ports the gateway publishes (its suite's own names: `gatewayService.hostPorts`), all free now. The suite's
 * numbers (8080, 28080, 9090, 18091, 28091) may be taken on a shared machine, and several worlds run at once.
 */
export interface GatewayPorts {
  readonly gateway: number;
  readonly gatewayHealth: number;
  readonly gatewayMetrics: number;
  readonly datastorage: number;
  readonly datastorageHealth: number;
}

export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve) => {
          const s = createHttpServer();
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export async function freeGatewayPorts(): Promise<GatewayPorts> {
  const [gateway, gatewayHealth, gatewayMetrics, datastorage, datastorageHealth] = (await freePorts(5)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { gateway, gatewayHealth, gatewayMetrics, datastorage, datastorageHealth };
}

/** The host port each of the gateway's host-port names has in its suite's kind config. */
const SUITE_HOST_PORTS: Record<keyof GatewayPorts, number> = {
  gateway: 8080,
  gatewayHealth: 28080,
  gatewayMetrics: 9090,
  datastorage: 18091,
  datastorageHealth: 28091,
};

/**
 * The copy's kind config (the suite's own, as in a kubernaut checkout) with the gateway's and DataStorage's host
 * ports moved to `ports`: the stand-in serves a node port on the host port mapped to it.
 */
export async function pinKindConfigPorts(root: string, ports: GatewayPorts): Promise<void> {
  const file = 'test/infrastructure/kind-gateway-config.yaml';
  let pinned = await readFile(join(FIXTURE_PROJECT_ROOT, file), 'utf8');
  for (const [name, suitePort] of Object.entries(SUITE_HOST_PORTS)) {
    const mapping = new RegExp(`hostPort: ${suitePort}\n`);
    if (!mapping.test(pinned)) throw new Error(`${file} no longer maps host port ${suitePort} (${name})`);
    pinned = pinned.replace(mapping, `hostPort: ${ports[name as keyof GatewayPorts]}\n`);
  }
  await writeFile(join(root, file), pinned);
}
