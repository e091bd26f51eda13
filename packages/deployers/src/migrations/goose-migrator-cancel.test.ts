import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError } from '@kubernaut-e2e/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createGooseMigrator } from './goose-migrator.js';

/*
 * A server that accepts the TCP connection and never answers: the PostgreSQL handshake waits forever, as it does
 * behind a port-forward whose pod is not there yet. A cancelled migration must end at once, not when pg gives up.
 */
let server: Server;
let dir: string;
const sockets: Socket[] = [];

beforeEach(async () => {
  server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-goose-cancel-'));
  await writeFile(join(dir, '001_init.sql'), '-- +goose Up\nCREATE TABLE t (id int);\n');
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

it('a migration cancelled while it is still connecting ends with CancelledError right away', async () => {
  const port = (server.address() as { port: number }).port;
  const controller = new AbortController();
  const migration = createGooseMigrator({ connectTimeoutMs: 3_600_000 }).migrate(
    { host: '127.0.0.1', port, database: 'd', user: 'u', password: 'p' },
    dir,
    { signal: controller.signal },
  );
  // Cancel once the connection is open (the server saw it), i.e. mid-handshake.
  while (sockets.length === 0) await new Promise((r) => setImmediate(r));
  controller.abort(new Error('step load:gateway failed'));
  expect(await migration.catch((e: unknown) => e)).toBeInstanceOf(CancelledError);
});
