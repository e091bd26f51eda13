import { ConfigError } from '@kubernaut-e2e/core';
import { isBlankSql, type SqlStatement, splitSqlStatements, statementAt } from './sql-splitter.js';

/** One goose migration file, parsed. */
export interface GooseMigration {
  /** The number before the first `_` of the file name (`00003_add_index.sql` → 3). */
  readonly version: number;
  /** The file name, e.g. `00003_add_index.sql`. */
  readonly fileName: string;
  readonly up: readonly SqlStatement[];
  readonly down: readonly SqlStatement[];
  /** False when the file says `-- +goose NO TRANSACTION` (e.g. `CREATE INDEX CONCURRENTLY`). */
  readonly useTransaction: boolean;
}

/** goose's file name grammar: a version number, `_`, a name, `.sql`. */
export const GOOSE_FILE_NAME = /^(\d+)_([^/\\]+)\.sql$/;

const ANNOTATION = /^\s*--\s*\+goose\s+(.*?)\s*$/;

/** Parses `NNNNN_name.sql` into its version, or throws `ConfigError` naming the file. */
export function gooseVersion(fileName: string): number {
  const match = GOOSE_FILE_NAME.exec(fileName);
  if (!match)
    throw ConfigError.field(
      fileName,
      'a goose migration file is named <version>_<name>.sql, e.g. 00001_create_tables.sql',
      'migration file',
    );
  const version = Number(match[1]);
  if (!Number.isSafeInteger(version) || version < 1)
    throw ConfigError.field(
      fileName,
      `the version ${match[1]} must be a whole number ≥ 1 (goose reserves 0)`,
      'migration file',
    );
  return version;
}

type Section = 'none' | 'up' | 'down';

interface Builder {
  readonly statements: SqlStatement[];
  /** Free SQL (outside StatementBegin/End) not yet split, and the line it starts on. */
  pending: string;
  pendingLine: number;
}

/**
 * Parses a goose SQL migration: `-- +goose Up` and optional `-- +goose Down` sections,
 * `-- +goose StatementBegin` / `-- +goose StatementEnd` blocks kept as one statement, and
 * `-- +goose NO TRANSACTION`. Outside blocks, statements end at `;`. Anything goose would reject
 * (SQL before `Up`, an unknown annotation, an unclosed block, a statement without `;`) is a
 * `ConfigError` naming the file and line, raised before any database is touched.
 */
export function parseGooseFile(content: string, fileName: string): GooseMigration {
  const version = gooseVersion(fileName);
  const fail = (line: number, message: string): never => {
    throw ConfigError.field(`${fileName}:${line}`, message, `migration ${fileName}`);
  };

  const sections: Record<'up' | 'down', Builder> = {
    up: { statements: [], pending: '', pendingLine: 1 },
    down: { statements: [], pending: '', pendingLine: 1 },
  };
  let section: Section = 'none';
  let sawUp = false;
  let sawDown = false;
  let useTransaction = true;
  let block: { start: number; lines: string[] } | undefined;

  const flushFree = (b: Builder, atLine: number) => {
    const { statements, remainder } = splitSqlStatements(b.pending, b.pendingLine);
    b.statements.push(...statements);
    if (remainder)
      fail(
        remainder.line,
        `statement does not end with ";" before line ${atLine} (goose needs each statement terminated, or wrapped in -- +goose StatementBegin/StatementEnd): ${remainder.sql.slice(0, 80)}`,
      );
    b.pending = '';
  };

  const lines = content.replace(/\r\n/g, '\n').split('\n');
  lines.forEach((text, index) => {
    const lineNo = index + 1;
    const annotation = ANNOTATION.exec(text);
    if (annotation) {
      const command = annotation[1]!.toUpperCase().replace(/\s+/g, ' ');
      switch (command) {
        case 'UP':
        case 'DOWN': {
          if (block)
            fail(
              lineNo,
              `-- +goose ${annotation[1]} inside a StatementBegin block opened at line ${block.start}`,
            );
          const next = command === 'UP' ? 'up' : 'down';
          if ((next === 'up' && sawUp) || (next === 'down' && sawDown))
            fail(lineNo, `a second -- +goose ${annotation[1]} annotation`);
          if (next === 'down' && !sawUp) fail(lineNo, '-- +goose Down before -- +goose Up');
          if (section !== 'none') flushFree(sections[section], lineNo);
          section = next;
          if (next === 'up') sawUp = true;
          else sawDown = true;
          sections[next].pendingLine = lineNo + 1;
          return;
        }
        case 'STATEMENTBEGIN': {
          if (section === 'none') fail(lineNo, 'StatementBegin before -- +goose Up');
          if (block) fail(lineNo, `nested StatementBegin (the block at line ${block.start} is still open)`);
          flushFree(sections[section as 'up' | 'down'], lineNo);
          block = { start: lineNo + 1, lines: [] };
          return;
        }
        case 'STATEMENTEND': {
          if (!block) fail(lineNo, 'StatementEnd without a StatementBegin');
          const body = block!.lines.join('\n');
          if (!isBlankSql(body))
            sections[section as 'up' | 'down'].statements.push(statementAt(body, block!.start));
          block = undefined;
          sections[section as 'up' | 'down'].pendingLine = lineNo + 1;
          return;
        }
        case 'NO TRANSACTION':
          useTransaction = false;
          return;
        default:
          fail(
            lineNo,
            `unknown goose annotation "-- +goose ${annotation[1]}"; supported: Up, Down, StatementBegin, StatementEnd, NO TRANSACTION`,
          );
      }
    }
    if (block) {
      block.lines.push(text);
      return;
    }
    if (section === 'none') {
      if (!isBlankSql(text))
        fail(lineNo, 'SQL before the "-- +goose Up" annotation (a goose file starts with it)');
      return;
    }
    const b = sections[section];
    b.pending += `${text}\n`;
  });

  if (block) fail(block.start - 1, 'StatementBegin without a matching StatementEnd');
  if (!sawUp) fail(1, 'no "-- +goose Up" annotation (a goose file needs one)');
  if (section !== 'none') flushFree(sections[section], lines.length);

  return { version, fileName, up: sections.up.statements, down: sections.down.statements, useTransaction };
}
