import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { MigrationError } from '@kubernaut-e2e/deployers';
import { findPostgresBinDir, type PostgresServer, startPostgres } from '@kubernaut-e2e/test-harness';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  kubectlForwardingTo,
  migrateContext,
  migrateStep,
  STOP_FAILURE,
} from '../testing-internal/migrate-step.js';
import { migrate } from './migrate.js';

// Debian keeps the server binaries out of PATH; put them on it so the guard below finds them.
const binDir = findPostgresBinDir();
if (binDir && !process.env.PATH?.split(':').includes(binDir))
  process.env.PATH = `${binDir}:${process.env.PATH ?? ''}`;

const CREATE = '-- +goose Up\nCREATE TABLE audit_events (id BIGSERIAL PRIMARY KEY);\n';
const SEED = '-- +goose Up\nINSERT INTO audit_events DEFAULT VALUES;\n';
const BROKEN = '-- +goose Up\nINSERT INTO no_such_table (x) VALUES (1);\n';

/*
 * The orchestrator's migrate step with the real kubectl client and the real goose migrator against a real
 * PostgreSQL; only kubectl is played, at the process boundary: its port-forward "forwards" to the server.
 */
describeWithBinaries(['initdb', 'pg_ctl'], { initdb: 'postgresql', pg_ctl: 'postgresql' }, () => {
  let server: PostgresServer;
  let databases = 0;
  const dirs: string[] = [];

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  async function migrations(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kubernaut-migrate-step-'));
    dirs.push(dir);
    for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
    return dir;
  }

  async function database() {
    const { database, user, password } = await server.createDatabase(`step_${++databases}`);
    return { database, user, password };
  }

  it('applies the migrations through the port-forward, closes it, and notes the version', async () => {
    const { scripted, runner } = kubectlForwardingTo(server.port, { stopFails: false });
    const { ctx, notes } = migrateContext(runner);
    const dir = await migrations({ '00001_create.sql': CREATE, '00002_seed.sql': SEED });

    await migrate(migrateStep(dir, await database()), ctx);

    expect(notes).toEqual(['applied 2, at version 2']);
    expect(scripted.started[0]!.stopped).toBe(true);
  });

  it('a failing migration is the error even when the port-forward then fails to close', async () => {
    const { scripted, runner } = kubectlForwardingTo(server.port, { stopFails: true });
    const { ctx, logs } = migrateContext(runner);
    const dir = await migrations({ '00001_create.sql': CREATE, '00002_broken.sql': BROKEN });

    const error = await migrate(migrateStep(dir, await database()), ctx).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).fileName).toBe('00002_broken.sql');
    expect((error as MigrationError).databaseVersion).toBe(1);
    expect(scripted.started[0]!.stopped).toBe(true);
    expect(logs.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual([
      `closing the port-forward to service/postgresql:5432 also failed (after the migration failed): ${STOP_FAILURE}`,
    ]);
  });

  it('when only the close fails, the step fails with that: kubectl may still be running', async () => {
    const { runner } = kubectlForwardingTo(server.port, { stopFails: true });
    const { ctx } = migrateContext(runner);
    const dir = await migrations({ '00001_create.sql': CREATE });

    await expect(migrate(migrateStep(dir, await database()), ctx)).rejects.toThrow(STOP_FAILURE);
  });
});
