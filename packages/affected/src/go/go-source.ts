/**
 * What `affected` needs from one Go source file, read without a Go toolchain: its package name, the import paths of
 * its import declarations, and its `//go:embed` patterns (files compiled into the binary). Build constraints
 * (`//go:build`) are deliberately not evaluated: a file counts whatever tags a build uses, so the import graph is the
 * union over every configuration — never smaller than what a real build compiles.
 */
export interface GoSourceFile {
  /** The package clause's name, or undefined when the file has none (not a Go file a build would accept). */
  readonly packageName: string | undefined;
  /** Import paths in the order they appear (`"C"` included; callers skip what is not in the module). */
  readonly imports: readonly string[];
  /** `//go:embed` patterns, relative to the file's directory (`all:` prefix removed). */
  readonly embeds: readonly string[];
}

/** Parses the header (package clause and import declarations) and the embed directives of a Go file. */
export function parseGoSource(text: string): GoSourceFile {
  const tokens = new GoHeaderLexer(text);
  let packageName: string | undefined;
  const imports: string[] = [];

  let token = tokens.next();
  if (token?.kind === 'ident' && token.value === 'package') {
    const name = tokens.next();
    if (name?.kind === 'ident') packageName = name.value;
    token = tokens.next();
    for (;;) {
      while (token?.kind === 'punct' && token.value === ';') token = tokens.next();
      if (token?.kind !== 'ident' || token.value !== 'import') break;
      token = tokens.next();
      if (token?.kind === 'punct' && token.value === '(') {
        token = tokens.next();
        while (token !== undefined && !(token.kind === 'punct' && token.value === ')')) {
          if (token.kind === 'string') imports.push(token.value);
          token = tokens.next();
        }
        token = tokens.next();
      } else {
        // `import "x"`, `import name "x"`, `import . "x"`, `import _ "x"`
        if (token?.kind !== 'string') token = tokens.next();
        if (token?.kind === 'string') imports.push(token.value);
        token = tokens.next();
      }
    }
  }
  return { packageName, imports, embeds: embedPatterns(text) };
}

/** Every `//go:embed` directive's patterns (a directive is a line comment starting the line). */
function embedPatterns(text: string): string[] {
  const patterns: string[] = [];
  for (const match of text.matchAll(/^[ \t]*\/\/go:embed[ \t]+(.*)$/gm)) {
    for (const word of match[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g)) {
      const pattern = word[1] ?? word[2] ?? word[3]!;
      patterns.push(pattern.replace(/^all:/, ''));
    }
  }
  return patterns;
}

type Token =
  | { readonly kind: 'ident'; readonly value: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'punct'; readonly value: string };

/**
 * Just enough of Go's lexer for a file header: identifiers, interpreted and raw strings, punctuation; comments and
 * whitespace skipped. Newlines become `;` as Go's automatic semicolons would after an identifier, string or `)`.
 */
class GoHeaderLexer {
  #at = 0;
  #last: Token | undefined;

  constructor(private readonly text: string) {}

  next(): Token | undefined {
    const token = this.#scan();
    this.#last = token;
    return token;
  }

  #scan(): Token | undefined {
    const { text } = this;
    while (this.#at < text.length) {
      const c = text[this.#at]!;
      if (c === '\n') {
        this.#at++;
        if (this.#needsSemicolon()) return { kind: 'punct', value: ';' };
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') {
        this.#at++;
        continue;
      }
      if (text.startsWith('//', this.#at)) {
        const end = text.indexOf('\n', this.#at);
        this.#at = end < 0 ? text.length : end;
        continue;
      }
      if (text.startsWith('/*', this.#at)) {
        const end = text.indexOf('*/', this.#at + 2);
        const body = text.slice(this.#at, end < 0 ? text.length : end);
        this.#at = end < 0 ? text.length : end + 2;
        if (body.includes('\n') && this.#needsSemicolon()) return { kind: 'punct', value: ';' };
        continue;
      }
      if (c === '"') return { kind: 'string', value: this.#interpreted() };
      if (c === '`') {
        const end = text.indexOf('`', this.#at + 1);
        const value = text.slice(this.#at + 1, end < 0 ? text.length : end);
        this.#at = end < 0 ? text.length : end + 1;
        return { kind: 'string', value };
      }
      const ident = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(text.slice(this.#at, this.#at + 256));
      if (ident) {
        this.#at += ident[0].length;
        return { kind: 'ident', value: ident[0] };
      }
      this.#at++;
      return { kind: 'punct', value: c };
    }
    return undefined;
  }

  #needsSemicolon(): boolean {
    const last = this.#last;
    if (last === undefined) return false;
    return last.kind !== 'punct' || last.value === ')';
  }

  /** An interpreted string literal; escapes are kept as written except `\"` and `\\` (import paths have none). */
  #interpreted(): string {
    const { text } = this;
    let value = '';
    this.#at++;
    while (this.#at < text.length) {
      const c = text[this.#at]!;
      if (c === '\\' && this.#at + 1 < text.length) {
        value += text[this.#at + 1];
        this.#at += 2;
        continue;
      }
      this.#at++;
      if (c === '"' || c === '\n') break;
      value += c;
    }
    return value;
  }
}
