/** One SQL statement and the 1-based line of the file it starts on. */
export interface SqlStatement {
  readonly sql: string;
  readonly line: number;
}

export interface SplitResult {
  readonly statements: SqlStatement[];
  /** Text after the last `;` that is more than whitespace and comments (an unterminated statement). */
  readonly remainder?: SqlStatement;
}

const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/** Length of the whitespace and comments (line, and nested block comments) at the start of `text`. */
export function leadingBlankLength(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
    } else return i;
  }
}

/** True when `text` holds only whitespace and SQL comments. */
export function isBlankSql(text: string): boolean {
  return leadingBlankLength(text) === text.length;
}

/**
 * Splits PostgreSQL text on `;` that end statements: never inside a quoted string (`'…'`, `E'…'` with
 * backslash escapes), a quoted identifier (`"…"`), a dollar-quoted body (`$$…$$`, `$fn$…$fn$`), a line
 * comment or a (nested) block comment. goose itself only looks for lines ending in `;`; this is a
 * superset that agrees with it on files goose accepts, and also keeps `$$` function bodies whole.
 */
export function splitSqlStatements(text: string, firstLine: number): SplitResult {
  const statements: SqlStatement[] = [];
  let start = 0;
  let line = firstLine;
  let startLine = firstLine;
  let i = 0;
  const n = text.length;

  const push = (end: number) => {
    const chunk = text.slice(start, end);
    if (!isBlankSql(chunk)) statements.push(statementAt(chunk, startLine));
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else {
          if (text[i] === '\n') line++;
          i++;
        }
      }
    } else if (c === "'" || c === '"') {
      const backslashEscapes =
        c === "'" && i > 0 && /[eE]/.test(text[i - 1]!) && !/[A-Za-z0-9_]/.test(text[i - 2] ?? ' ');
      i++;
      while (i < n) {
        const d = text[i]!;
        if (d === '\n') line++;
        if (backslashEscapes && d === '\\') {
          i += 2;
          continue;
        }
        if (d === c) {
          if (text[i + 1] === c) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
    } else if (c === '$' && !/[A-Za-z0-9_]/.test(text[i - 1] ?? ' ')) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64));
      if (!tag) {
        i++;
        continue;
      }
      const close = text.indexOf(tag[0], i + tag[0].length);
      const end = close === -1 ? n : close + tag[0].length;
      line += text.slice(i, end).match(/\n/g)?.length ?? 0;
      i = end;
    } else if (c === ';') {
      push(i + 1);
      i++;
      start = i;
      startLine = line;
    } else {
      i++;
    }
  }

  const tail = text.slice(start);
  if (isBlankSql(tail)) return { statements };
  return { statements, remainder: statementAt(tail, startLine) };
}

/**
 * The statement in `chunk` without the whitespace and comments before it, and the line it starts on
 * (so an error points at the statement, not at the previous statement's `;`).
 */
export function statementAt(chunk: string, chunkLine: number): SqlStatement {
  const lead = chunk.slice(0, leadingBlankLength(chunk));
  return { sql: chunk.slice(lead.length).trim(), line: chunkLine + (lead.match(/\n/g)?.length ?? 0) };
}
