import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@kubernaut-e2e/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGooseFile } from './goose-file.js';
import { createGooseMigrator } from './goose-migrator.js';
import { loadMigrations } from './load-migrations.js';

const fixtures = fileURLToPath(new URL('../__fixtures__/migrations/', import.meta.url));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseGooseFile', () => {
  it('splits Up and Down on ";" and reports the line each statement starts on', () => {
    const m = parseGooseFile(
      [
        '-- comment before Up is fine',
        '-- +goose Up',
        'CREATE TABLE a (id int);',
        '',
        '-- why',
        'CREATE TABLE b (',
        '  id int',
        ');',
        '-- +goose Down',
        'DROP TABLE b;',
        'DROP TABLE a;',
      ].join('\n'),
      '00007_two_tables.sql',
    );
    expect(m.version).toBe(7);
    expect(m.useTransaction).toBe(true);
    expect(m.up).toEqual([
      { sql: 'CREATE TABLE a (id int);', line: 3 },
      { sql: 'CREATE TABLE b (\n  id int\n);', line: 6 },
    ]);
    expect(m.down.map((s) => s.sql)).toEqual(['DROP TABLE b;', 'DROP TABLE a;']);
  });

  it('keeps a StatementBegin/StatementEnd block whole, semicolons and all', () => {
    const m = parseGooseFile(
      [
        '-- +goose Up',
        '-- +goose StatementBegin',
        'CREATE FUNCTION f() RETURNS int AS $$',
        'BEGIN',
        '  PERFORM 1;',
        '  RETURN 1;',
        'END;',
        '$$ LANGUAGE plpgsql;',
        '-- +goose StatementEnd',
        'SELECT f();',
      ].join('\n'),
      '00001_f.sql',
    );
    expect(m.up).toHaveLength(2);
    expect(m.up[0]!.line).toBe(3);
    expect(m.up[0]!.sql).toContain('PERFORM 1;\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;');
    expect(m.up[1]).toEqual({ sql: 'SELECT f();', line: 10 });
  });

  it('does not split inside strings, quoted identifiers, dollar quotes or comments', () => {
    const sql = [
      '-- +goose Up',
      "INSERT INTO t VALUES ('a;b', 'it''s; fine', E'back\\\\slash\\'; quote');",
      'CREATE TABLE "odd;name" (x int); /* block; comment /* nested; */ still; */',
      "CREATE FUNCTION g() RETURNS text AS $tag$ SELECT 'x;y' $tag$ LANGUAGE sql;",
      'SELECT 1; -- trailing; comment',
    ].join('\n');
    const up = parseGooseFile(sql, '00002_quotes.sql').up.map((s) => s.sql);
    expect(up).toEqual([
      "INSERT INTO t VALUES ('a;b', 'it''s; fine', E'back\\\\slash\\'; quote');",
      'CREATE TABLE "odd;name" (x int);',
      "CREATE FUNCTION g() RETURNS text AS $tag$ SELECT 'x;y' $tag$ LANGUAGE sql;",
      'SELECT 1;',
    ]);
  });

  it('honours -- +goose NO TRANSACTION', () => {
    const m = parseGooseFile(
      '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (x);\n',
      '00003_idx.sql',
    );
    expect(m.useTransaction).toBe(false);
    expect(m.up).toHaveLength(1);
  });

  it('parses the fixture files goose would accept', () => {
    const m = parseGooseFile(
      '-- +goose Up\nCREATE TABLE x (id int);\n-- +goose Down\n',
      '20240101120000_timestamp_version.sql',
    );
    expect(m.version).toBe(20240101120000);
    expect(m.down).toEqual([]);
  });

  it.each([
    [
      'SQL before Up',
      'CREATE TABLE x (id int);\n-- +goose Up\n',
      '00001_x.sql:1',
      'before the "-- +goose Up"',
    ],
    ['no Up at all', '-- just a comment\n', '00001_x.sql:1', 'no "-- +goose Up"'],
    [
      'a statement without ";"',
      '-- +goose Up\nCREATE TABLE x (id int)\n-- +goose Down\nDROP TABLE x;\n',
      '00001_x.sql:2',
      'does not end with ";"',
    ],
    [
      'an unclosed block',
      '-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n',
      '00001_x.sql:2',
      'without a matching StatementEnd',
    ],
    [
      'StatementEnd without Begin',
      '-- +goose Up\nSELECT 1;\n-- +goose StatementEnd\n',
      '00001_x.sql:3',
      'without a StatementBegin',
    ],
    [
      'an unknown annotation',
      '-- +goose Up\n-- +goose ENVSUB ON\nSELECT 1;\n',
      '00001_x.sql:2',
      'unknown goose annotation',
    ],
    ['Down before Up', '-- +goose Down\nDROP TABLE x;\n-- +goose Up\n', '00001_x.sql:1', 'Down before'],
  ])('rejects %s with the file and line', (_, content, path, message) => {
    const error = configError(() => parseGooseFile(content, '00001_x.sql'));
    expect(error.issues[0]!.path).toBe(path);
    expect(error.issues[0]!.message).toContain(message);
  });

  it('rejects file names goose would not read as a version', () => {
    expect(configError(() => parseGooseFile('-- +goose Up\n', 'create_tables.sql')).message).toContain(
      '<version>_<name>.sql',
    );
    expect(configError(() => parseGooseFile('-- +goose Up\n', '00000_zero.sql')).message).toContain(
      'goose reserves 0',
    );
  });
});

describe('loadMigrations', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubernaut-load-'));
    dirs.push(dir);
    return dir;
  };

  it('loads the .sql files sorted by version number, ignoring other files', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '10_ten.sql'), '-- +goose Up\nSELECT 10;\n');
    await writeFile(join(dir, '9_nine.sql'), '-- +goose Up\nSELECT 9;\n');
    await writeFile(join(dir, 'README.md'), '# notes');
    await mkdir(join(dir, 'sub'));
    expect((await loadMigrations(dir)).map((m) => m.fileName)).toEqual(['9_nine.sql', '10_ten.sql']);
    expect((await loadMigrations(join(fixtures, 'good'))).map((m) => m.version)).toEqual([1, 2, 3]);
  });

  it('rejects a missing directory, a file instead of a directory, and a duplicate version', async () => {
    await expect(loadMigrations('/nonexistent/migrations')).rejects.toThrow(
      /directory \/nonexistent\/migrations does not exist/,
    );
    const dir = await tempDir();
    await writeFile(join(dir, '001_a.sql'), '-- +goose Up\nSELECT 1;\n');
    await expect(loadMigrations(join(dir, '001_a.sql'))).rejects.toThrow(/is not a directory/);
    await writeFile(join(dir, '1_b.sql'), '-- +goose Up\nSELECT 1;\n');
    const error = await loadMigrations(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/version 1 is also used by 001_a\.sql/);
  });
});

describe('createGooseMigrator (input checks)', () => {
  // Port 1 on loopback refuses connections: reaching the network would fail with ECONNREFUSED instead.
  const unreachable = { host: '127.0.0.1', port: 1, database: 'db', user: 'u', password: 'p' };

  it('rejects a missing migration directory with ConfigError before connecting', async () => {
    const error = await createGooseMigrator()
      .migrate(unreachable, '/nonexistent/migrations')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe('directory');
  });

  it('rejects a malformed migration before connecting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubernaut-load-'));
    try {
      await writeFile(join(dir, '00001_bad.sql'), 'CREATE TABLE x (id int);\n');
      await expect(createGooseMigrator().migrate(unreachable, dir)).rejects.toBeInstanceOf(ConfigError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a table name that is not a plain identifier', () => {
    expect(() => createGooseMigrator({ tableName: 'x; DROP TABLE y' })).toThrow(ConfigError);
  });
});
