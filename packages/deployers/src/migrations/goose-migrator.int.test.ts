import { cp, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancelledError, ConfigError } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { findPostgresBinDir, type PostgresServer, startPostgres } from '@kubernaut-e2e/test-harness';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createGooseMigrator } from './goose-migrator.js';
import { MigrationError } from './migration-error.js';

// Debian keeps the server binaries out of PATH; put them on it so the guard below finds them.
const binDir = findPostgresBinDir();
if (binDir && !process.env.PATH?.split(':').includes(binDir))
  process.env.PATH = `${binDir}:${process.env.PATH ?? ''}`;

const fixtures = fileURLToPath(new URL('../__fixtures__/migrations/', import.meta.url));

describeWithBinaries(['initdb', 'pg_ctl'], { initdb: 'postgresql', pg_ctl: 'postgresql' }, () => {
  let server: PostgresServer;
  let databases = 0;
  const work: string[] = [];

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    const dataDir = server?.dataDir;
    await server?.stop();
    if (dataDir) await expect(stat(dataDir)).rejects.toThrow(/ENOENT/);
  });
  afterEach(async () => {
    await Promise.all(work.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  /** A migration directory made of fixture sets, e.g. ['good', 'broken']. */
  async function migrationDir(...sets: string[]): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kubernaut-migrations-'));
    work.push(dir);
    for (const set of sets) await cp(join(fixtures, set), dir, { recursive: true });
    return dir;
  }

  async function query<T extends Record<string, unknown>>(database: string, sql: string): Promise<T[]> {
    const client = await server.connect(database);
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  const freshDatabase = () => server.createDatabase(`migrate_${++databases}`);

  it("applies every migration in version order, in goose's own version table layout", async () => {
    const target = await freshDatabase();
    const report = await createGooseMigrator().migrate(target, await migrationDir('good'));
    expect(report).toEqual({
      applied: ['00001_create_tables.sql', '00002_add_functions.sql', '00003_seed.sql'],
      version: 3,
    });
    const rows = await query<{ version_id: string; is_applied: boolean }>(
      target.database,
      'SELECT version_id, is_applied FROM goose_db_version ORDER BY id',
    );
    expect(rows.map((r) => [Number(r.version_id), r.is_applied])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, true],
    ]);
    const columns = await query<{ column_name: string; data_type: string }>(
      target.database,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'goose_db_version' ORDER BY ordinal_position",
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'integer' },
      { column_name: 'version_id', data_type: 'bigint' },
      { column_name: 'is_applied', data_type: 'boolean' },
      { column_name: 'tstamp', data_type: 'timestamp without time zone' },
    ]);
    // The dollar-quoted function and the string literals with semicolons arrived intact.
    const [count] = await query<{ n: string }>(target.database, "SELECT audit_event_count('seed') AS n");
    expect(Number(count!.n)).toBe(1);
    const quoted = await query<{ event_type: string }>(
      target.database,
      "SELECT event_type FROM audit_events WHERE event_type LIKE 'it%'",
    );
    expect(quoted).toEqual([{ event_type: "it's quoted; still one statement" }]);
  });

  it('is idempotent: a second run applies nothing and changes nothing', async () => {
    const target = await freshDatabase();
    const dir = await migrationDir('good');
    await createGooseMigrator().migrate(target, dir);
    const second = await createGooseMigrator().migrate(target, dir);
    expect(second).toEqual({ applied: [], version: 3 });
    const [rows] = await query<{ n: string }>(target.database, 'SELECT count(*) AS n FROM goose_db_version');
    expect(Number(rows!.n)).toBe(4);
    const [events] = await query<{ n: string }>(target.database, 'SELECT count(*) AS n FROM audit_events');
    expect(Number(events!.n)).toBe(2);
  });

  it('stops at a broken migration: names file and statement, rolls it back, keeps the earlier ones', async () => {
    const target = await freshDatabase();
    const dir = await migrationDir('good', 'broken');
    const error = await createGooseMigrator()
      .migrate(target, dir)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.fileName).toBe('00004_broken.sql');
    expect(failure.statementIndex).toBe(2);
    expect(failure.line).toBe(5);
    expect(failure.statement).toBe('INSERT INTO no_such_table (x) VALUES (1);');
    expect(failure.sqlState).toBe('42P01'); // undefined_table
    expect(failure.databaseVersion).toBe(3);
    expect(failure.message).toContain('00004_broken.sql failed at statement 2 (line 5)');
    expect(failure.message).toContain('relation "no_such_table" does not exist');
    expect(failure.message).toContain('stays at version 3');

    const [max] = await query<{ v: string }>(
      target.database,
      'SELECT max(version_id) AS v FROM goose_db_version',
    );
    expect(Number(max!.v)).toBe(3);
    // The first statement of the broken file was rolled back with it; the earlier files stayed.
    const tables = await query<{ t: string | null; n: string | null }>(
      target.database,
      "SELECT to_regclass('notifications')::text AS t, to_regclass('audit_events')::text AS n",
    );
    expect(tables).toEqual([{ t: null, n: 'audit_events' }]);

    // Fixing the file and re-running applies only that file.
    await writeFile(
      join(dir, '00004_broken.sql'),
      '-- +goose Up\nCREATE TABLE notifications (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL);\n',
    );
    expect(await createGooseMigrator().migrate(target, dir)).toEqual({
      applied: ['00004_broken.sql'],
      version: 4,
    });
  });

  it('refuses a never-applied migration numbered below the current version (as goose does)', async () => {
    const target = await freshDatabase();
    const dir = await migrationDir('good');
    await createGooseMigrator().migrate(target, dir);
    await writeFile(join(dir, '00030_after.sql'), '-- +goose Up\nCREATE TABLE after_all (id int);\n');
    expect((await createGooseMigrator().migrate(target, dir)).version).toBe(30);
    // A file from another branch, numbered below what the database already has.
    await writeFile(join(dir, '00010_late.sql'), '-- +goose Up\nCREATE TABLE late (id int);\n');
    const error = await createGooseMigrator()
      .migrate(target, dir)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('00010_late.sql');
    expect((error as Error).message).toContain('current version 30');
    expect(await query(target.database, "SELECT to_regclass('late')::text AS t")).toEqual([{ t: null }]);
    // goose's --allow-missing equivalent applies it.
    expect(await createGooseMigrator({ allowOutOfOrder: true }).migrate(target, dir)).toEqual({
      applied: ['00010_late.sql'],
      version: 30,
    });
  });

  it('is cancelled by its signal mid-statement: CancelledError, the file rolled back, the connection closed', async () => {
    const target = await freshDatabase();
    const dir = await migrationDir('good');
    await writeFile(
      join(dir, '00004_slow.sql'),
      '-- +goose Up\nCREATE TABLE slow (id int);\nSELECT pg_sleep(60);\n',
    );
    const controller = new AbortController();
    const error = await createGooseMigrator()
      .migrate(target, dir, {
        signal: controller.signal,
        // Abort once the fast files are in, while the slow one sleeps.
        log: (line) => {
          if (line.text === 'applied 00003_seed.sql') setTimeout(() => controller.abort(), 200);
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    // Had the statement run on, the file would have committed as version 4 before the run noticed.
    const [max] = await query<{ v: string }>(
      target.database,
      'SELECT max(version_id) AS v FROM goose_db_version',
    );
    expect(Number(max!.v)).toBe(3);
    expect(await query(target.database, "SELECT to_regclass('slow')::text AS t")).toEqual([{ t: null }]);
    const sessions = await query<{ n: string }>(
      target.database,
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '${target.database}' AND pid <> pg_backend_pid()`,
    );
    expect(Number(sessions[0]!.n)).toBe(0);
  });
});
