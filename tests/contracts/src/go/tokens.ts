/**
 * A Go tokenizer: enough of the language spec's lexical grammar to read declarations. Comments are dropped,
 * string and rune literals are kept whole (so a `//` inside a string or a struct tag is not a comment), and
 * semicolons are inserted at line ends exactly where Go inserts them, so a struct's fields split on `;`.
 */

export type TokenKind = 'ident' | 'string' | 'rawString' | 'rune' | 'number' | 'punct' | 'semicolon';

export interface Token {
  readonly kind: TokenKind;
  /** The source text (a string literal with its quotes). An inserted semicolon's text is `\n`. */
  readonly text: string;
  /** 1-based line of the token's first character. */
  readonly line: number;
}

const IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER =
  /(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)i?/y;
const PUNCT3 = ['...', '<<=', '>>=', '&^=', '&&=', '||='];
const PUNCT2 = '<- := == != <= >= && || ++ -- << >> &^ += -= *= /='.split(' ');
const KEYWORDS = new Set(
  'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var'.split(
    ' ',
  ),
);
/** After these, a newline ends the statement (Go spec, "Semicolons"). */
const ENDS_STATEMENT = new Set(['break', 'continue', 'fallthrough', 'return', '++', '--', ')', ']', '}']);

/** Thrown for text that is not Go (an unterminated string or comment); carries the line. */
export class GoSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'GoSyntaxError';
  }
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const push = (kind: TokenKind, text: string, at: number) => tokens.push({ kind, text, line: at });
  // Go inserts a semicolon after a line's final token when it is an identifier, a literal, one of the keywords
  // break/continue/fallthrough/return, or one of ++ -- ) ] }.
  const lastEnds = (): boolean => {
    const last = tokens[tokens.length - 1];
    if (last === undefined || last.kind === 'semicolon') return false;
    if (last.kind === 'punct') return ENDS_STATEMENT.has(last.text);
    if (last.kind === 'ident') return !KEYWORDS.has(last.text) || ENDS_STATEMENT.has(last.text);
    return true;
  };
  const newline = () => {
    if (lastEnds()) push('semicolon', '\n', line);
    line++;
  };

  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      newline();
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end === -1) throw new GoSyntaxError('unterminated block comment', line);
      const body = source.slice(i, end);
      const newlines = body.split('\n').length - 1;
      // A block comment spanning lines acts like a newline.
      if (newlines > 0) {
        if (lastEnds()) push('semicolon', '\n', line);
        line += newlines;
      }
      i = end + 2;
      continue;
    }
    if (c === '`') {
      const end = source.indexOf('`', i + 1);
      if (end === -1) throw new GoSyntaxError('unterminated raw string', line);
      const text = source.slice(i, end + 1);
      push('rawString', text, line);
      line += text.split('\n').length - 1;
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) {
        if (source[j] === '\\') j++;
        if (source[j] === '\n') throw new GoSyntaxError('newline in string literal', line);
        j++;
      }
      if (j >= source.length) throw new GoSyntaxError('unterminated string literal', line);
      push(c === '"' ? 'string' : 'rune', source.slice(i, j + 1), line);
      i = j + 1;
      continue;
    }
    IDENT.lastIndex = i;
    const ident = IDENT.exec(source);
    if (ident) {
      push('ident', ident[0], line);
      i += ident[0].length;
      continue;
    }
    if (/\d/.test(c) || (c === '.' && /\d/.test(source[i + 1] ?? ''))) {
      NUMBER.lastIndex = i;
      const num = NUMBER.exec(source);
      if (num) {
        push('number', num[0], line);
        i += num[0].length;
        continue;
      }
    }
    const three = source.slice(i, i + 3);
    const two = source.slice(i, i + 2);
    const op = PUNCT3.includes(three) ? three : PUNCT2.includes(two) ? two : c;
    push(op === ';' ? 'semicolon' : 'punct', op, line);
    i += op.length;
  }
  if (lastEnds()) push('semicolon', '\n', line);
  return tokens;
}

/** The value of a Go interpreted ("…") or raw (`…`) string literal. */
export function stringValue(token: Token): string {
  if (token.kind === 'rawString') return token.text.slice(1, -1).replace(/\r/g, '');
  if (token.kind !== 'string') throw new Error(`not a string literal: ${token.text}`);
  const body = token.text.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, esc: string) => {
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      '\\': '\\',
      '"': '"',
      "'": "'",
    };
    if (esc in simple) return simple[esc]!;
    if (/^[xuU]/.test(esc)) return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
    if (/^[0-7]{3}$/.test(esc)) return String.fromCharCode(Number.parseInt(esc, 8));
    return esc;
  });
}
