import {
  CancelledError,
  ConfigError,
  type DatabaseTarget,
  type MigrationReport,
  type Migrator,
  type OperationContext,
} from '@kubernaut-e2e/core';
import type pg from 'pg';
import type { GooseMigration } from './goose-file.js';
import { loadMigrations } from './load-migrations.js';
import { MigrationError } from './migration-error.js';

export interface GooseMigratorOptions {
  /** Version table; goose's default `goose_db_version`. */
  readonly tableName?: string;
  /** TCP connect timeout. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /**
   * Apply a pending migration whose version is lower than one already applied (goose's
   * `--allow-missing`). Off by default, like goose: it usually means two branches' migrations crossed.
   */
  readonly allowOutOfOrder?: boolean;
}

/**
 * Key of the session advisory lock held while migrating, so two runs against one database take turns.
 * goose's own Postgres locker uses this same key, so a concurrent `goose up` also waits for us.
 */
const GOOSE_LOCK_ID = 5887940537704921958n;

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/**
 * The `Migrator` port for goose-format SQL files, over the `pg` client. It keeps goose's version table
 * layout (`id`, `version_id`, `is_applied`, `tstamp`; a version-0 row at creation), so the real goose
 * binary reads the same state. Each migration runs in its own transaction together with its version
 * row: a failure rolls back that file only and leaves the database at the last good version.
 */
export function createGooseMigrator(options: GooseMigratorOptions = {}): Migrator {
  const table = options.tableName ?? 'goose_db_version';
  if (!TABLE_NAME.test(table))
    throw ConfigError.field(
      'tableName',
      'a table name is an unquoted identifier, optionally schema-qualified (schema.table)',
      'goose migrator options',
    );
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;

  return {
    async migrate(
      target: DatabaseTarget,
      directory: string,
      ctx?: OperationContext,
    ): Promise<MigrationReport> {
      // Parse everything first: a bad file is a ConfigError before any connection is made.
      const migrations = await loadMigrations(directory);
      const log = (text: string) =>
        ctx?.log?.({ source: ctx.logSource ?? 'migrate', stream: 'info', text, at: Date.now() });
      // The client library loads at the first migration, not with the package (plans and simulations never need it).
      const { Client } = (await import('pg')).default;
      throwIfAborted(ctx?.signal);

      const client = new Client({
        host: target.host,
        port: target.port,
        database: target.database,
        user: target.user,
        password: target.password,
        connectionTimeoutMillis: connectTimeoutMs,
      });
      // Aborting cancels the statement in flight (closing the socket alone would leave the server running
      // it until it next writes): a second connection asks the server to cancel our backend, the statement
      // fails, its transaction rolls back, and the run ends with CancelledError. While still connecting, there is
      // no backend yet: the wait for the connection ends instead (pg's `end()` during a connect can leave that
      // connect pending forever, and the step with it).
      let connected = false;
      const onAbort = () => {
        if (connected)
          void cancelBackend(target, connectTimeoutMs, client).catch(() => client.end().catch(() => {}));
      };
      ctx?.signal?.addEventListener('abort', onAbort, { once: true });
      client.on('error', () => {}); // connection errors surface through the pending query instead
      const connecting = client.connect();
      connecting.catch(() => {});
      try {
        await untilAborted(connecting, ctx?.signal);
        connected = true;
        await client.query('SELECT pg_advisory_lock($1)', [GOOSE_LOCK_ID.toString()]);
        try {
          await ensureVersionTable(client, table);
          const applied = await appliedVersions(client, table);
          const current = Math.max(0, ...applied);
          const pending = migrations.filter((m) => !applied.has(m.version));
          const outOfOrder = pending.filter((m) => m.version < current);
          if (outOfOrder.length > 0 && !options.allowOutOfOrder)
            throw ConfigError.field(
              'directory',
              `${outOfOrder.map((m) => m.fileName).join(', ')} ${outOfOrder.length === 1 ? 'has a version' : 'have versions'} below the database's current version ${current} but ${outOfOrder.length === 1 ? 'was' : 'were'} never applied; renumber ${outOfOrder.length === 1 ? 'it' : 'them'} above ${current} or pass allowOutOfOrder`,
              'migrations',
            );

          const done: string[] = [];
          let version = current;
          for (const migration of pending) {
            throwIfAborted(ctx?.signal);
            await applyOne(client, table, migration, version);
            done.push(migration.fileName);
            version = Math.max(version, migration.version);
            log(`applied ${migration.fileName}`);
          }
          if (done.length === 0) log(`no pending migrations; database at version ${version}`);
          return { applied: done, version };
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [GOOSE_LOCK_ID.toString()]).catch(() => {});
        }
      } catch (error) {
        if (ctx?.signal?.aborted) throw new CancelledError('migrations were cancelled', { cause: error });
        throw error;
      } finally {
        ctx?.signal?.removeEventListener('abort', onAbort);
        if (connected) await client.end().catch(() => {});
        // Cancelled while connecting: the connection is closed as soon as it is made, so none stays open.
        else
          void connecting.then(
            () => client.end().catch(() => {}),
            () => {},
          );
      }
    },
  };
}

async function cancelBackend(
  target: DatabaseTarget,
  connectTimeoutMs: number,
  victim: pg.Client,
): Promise<void> {
  const pid = (victim as pg.Client & { processID?: number | null }).processID;
  if (!pid) throw new Error('not connected yet');
  const { Client } = (await import('pg')).default;
  const canceller = new Client({ ...target, connectionTimeoutMillis: connectTimeoutMs });
  canceller.on('error', () => {});
  try {
    await canceller.connect();
    await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await canceller.end().catch(() => {});
  }
}

/** `work`, or CancelledError as soon as `signal` aborts (work then goes on unawaited). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  throwIfAborted(signal);
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CancelledError('migrations were cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('migrations were cancelled');
}

async function ensureVersionTable(client: pg.Client, table: string): Promise<void> {
  const { rows } = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    table,
  ]);
  if (rows[0]?.exists) return;
  await client.query('BEGIN');
  try {
    // goose's Postgres layout, and its version-0 row that marks "table created, nothing applied".
    await client.query(`CREATE TABLE ${table} (
      id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      version_id bigint NOT NULL,
      is_applied boolean NOT NULL,
      tstamp timestamp NOT NULL DEFAULT now()
    )`);
    await client.query(`INSERT INTO ${table} (version_id, is_applied) VALUES ($1, $2)`, [0, true]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Versions whose latest row says applied (goose reads the table newest-first the same way). */
async function appliedVersions(client: pg.Client, table: string): Promise<Set<number>> {
  const { rows } = await client.query<{ version_id: string; is_applied: boolean }>(
    `SELECT version_id, is_applied FROM ${table} ORDER BY id DESC`,
  );
  const seen = new Set<number>();
  const applied = new Set<number>();
  for (const row of rows) {
    const version = Number(row.version_id);
    if (version === 0 || seen.has(version)) continue;
    seen.add(version);
    if (row.is_applied) applied.add(version);
  }
  return applied;
}

async function applyOne(
  client: pg.Client,
  table: string,
  m: GooseMigration,
  currentVersion: number,
): Promise<void> {
  if (m.useTransaction) await client.query('BEGIN');
  let index = 0;
  try {
    for (const statement of m.up) {
      index++;
      await client.query(statement.sql);
    }
    index = 0;
    await client.query(`INSERT INTO ${table} (version_id, is_applied) VALUES ($1, $2)`, [m.version, true]);
    if (m.useTransaction) await client.query('COMMIT');
  } catch (error) {
    if (m.useTransaction) await client.query('ROLLBACK').catch(() => {});
    const statement = index > 0 ? m.up[index - 1]! : { sql: `INSERT INTO ${table} …`, line: 0 };
    const sqlState = (error as { code?: unknown }).code;
    throw new MigrationError(
      m.fileName,
      m.version,
      index,
      statement.line,
      statement.sql,
      currentVersion,
      typeof sqlState === 'string' ? sqlState : undefined,
      error,
      m.useTransaction,
    );
  }
}
