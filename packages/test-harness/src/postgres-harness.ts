/**
 * Test-only: a throwaway PostgreSQL server from the Debian `postgresql` package, for integration tests.
 * `initdb` into a fresh temp dir, `pg_ctl start` on a free 127.0.0.1 port
 * with the socket in that dir, and `stop()` shuts it down and deletes everything. As root, the server
 * binaries run as the `postgres` user (PostgreSQL refuses to run as root) via `runuser`.
 */

import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandRunner, createCommandRunner, type DatabaseTarget } from '@kubernaut-e2e/core';
import pg from 'pg';

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly dataDir: string;
  /** Creates an empty database and returns how to reach it. */
  createDatabase(name: string): Promise<DatabaseTarget>;
  /** Opens a client on a database (caller ends it). */
  connect(database: string): Promise<pg.Client>;
  /** Stops the server and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** `/usr/lib/postgresql/<newest>/bin`, or undefined when the package is not installed. */
export function findPostgresBinDir(root = '/usr/lib/postgresql'): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root but there is no "postgres" user to run the server as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Starts a private PostgreSQL: `initdb` into a fresh temp dir (`kubernaut-pg-*`), `pg_ctl start` on a free
 * 127.0.0.1 port with the socket in that dir. The caller must `stop()` it.
 */
export async function startPostgres(options: { runner?: CommandRunner } = {}): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  if (!bin)
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install -y postgresql)',
    );
  const runner = options.runner ?? createCommandRunner();
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? await postgresIds() : undefined;
  // PostgreSQL refuses to run as root; runuser switches user without a shell or a password prompt.
  const run = (tool: string, args: string[]) =>
    asRoot
      ? runner.run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args])
      : runner.run(join(bin, tool), args);

  const dir = await mkdtemp(join(tmpdir(), 'kubernaut-pg-'));
  const dataDir = join(dir, 'data');
  const user = 'kubernaut';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  let started = false;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      if (started) await run('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  try {
    if (ids) await chown(dir, ids.uid, ids.gid);
    const pwfile = join(dir, 'pwfile');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (ids) await chown(pwfile, ids.uid, ids.gid);
    await run('initdb', [
      '-D',
      dataDir,
      '-U',
      user,
      `--pwfile=${pwfile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=trust',
      '--encoding=UTF8',
      '--no-instructions',
    ]);
    const port = await freePort();
    await run('pg_ctl', [
      'start',
      '-D',
      dataDir,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off`,
    ]);
    started = true;
    const host = '127.0.0.1';
    const connect = async (database: string) => {
      const client = new pg.Client({ host, port, user, password, database });
      await client.connect();
      return client;
    };
    return {
      host,
      port,
      user,
      password,
      dataDir,
      connect,
      async createDatabase(name) {
        const admin = await connect('postgres');
        try {
          await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
        } finally {
          await admin.end();
        }
        return { host, port, user, password, database: name };
      },
      stop,
    };
  } catch (error) {
    const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
    await stop().catch(() => {});
    if (log && error instanceof Error) error.message += `\nserver log:\n${log}`;
    throw error;
  }
}

/** Directories the harness created and did not remove (for leak checks in tests). */
export async function leftoverHarnessDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('kubernaut-pg-'));
}
