import type { GoConstDecl, GoField, GoFile, GoFunc, GoImport, GoMethod, GoType, GoTypeDecl } from './ast.js';
import { GoSyntaxError, stringValue, type Token, tokenize } from './tokens.js';

/**
 * Reads a Go file's declarations: package clause, imports, type declarations (structs with their fields and
 * tags, named types, aliases), constants with literal values, and method names with their receivers. Function
 * bodies and `var` declarations are skipped whole. Generic type declarations are outside what it reads.
 */
export function parseGoFile(source: string, path: string): GoFile {
  return new FileParser(tokenize(source), path).parse();
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const TYPE_KEYWORDS = new Set(['map', 'chan', 'func', 'struct', 'interface']);

class FileParser {
  private i = 0;
  private packageName = '';
  private readonly imports: GoImport[] = [];
  private readonly types: GoTypeDecl[] = [];
  private readonly consts: GoConstDecl[] = [];
  private readonly methods: GoMethod[] = [];
  private readonly functions: GoFunc[] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly path: string,
  ) {}

  parse(): GoFile {
    while (!this.atEnd()) {
      const t = this.next();
      if (t.kind === 'semicolon') continue;
      if (t.kind === 'ident' && t.text === 'package') this.packageName = this.expect('ident').text;
      else if (t.kind === 'ident' && t.text === 'import') this.group(() => this.importSpec());
      else if (t.kind === 'ident' && t.text === 'type') this.group(() => this.typeSpec());
      else if (t.kind === 'ident' && t.text === 'const') this.constGroup();
      else if (t.kind === 'ident' && t.text === 'func') this.func();
      else this.skipStatement();
    }
    return {
      path: this.path,
      packageName: this.packageName,
      imports: this.imports,
      types: this.types,
      consts: this.consts,
      methods: this.methods,
      functions: this.functions,
    };
  }

  // ── cursor ────────────────────────────────────────────────────────────────────────────────────────────

  private atEnd(): boolean {
    return this.i >= this.tokens.length;
  }
  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  private next(): Token {
    const t = this.tokens[this.i++];
    if (t === undefined) throw new GoSyntaxError('unexpected end of file', this.tokens.at(-1)?.line ?? 1);
    return t;
  }
  private is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }
  private expect(kind: Token['kind'], text?: string): Token {
    const t = this.next();
    if (t.kind !== kind || (text !== undefined && t.text !== text))
      throw new GoSyntaxError(`expected ${text ?? kind} but found '${t.text}'`, t.line);
    return t;
  }
  private skipSemicolons(): void {
    while (this.peek()?.kind === 'semicolon') this.i++;
  }
  /** Skips a bracketed run starting at an opening bracket, nested brackets included. */
  private skipBalanced(): void {
    const open = this.next();
    const stack = [OPEN[open.text]!];
    while (stack.length > 0) {
      const t = this.next();
      if (t.kind !== 'punct') continue;
      if (t.text in OPEN) stack.push(OPEN[t.text]!);
      else if (t.text === stack[stack.length - 1]) stack.pop();
    }
  }
  /** Skips to the end of the current top-level statement (the next `;` outside brackets). */
  private skipStatement(): void {
    while (!this.atEnd()) {
      const t = this.peek()!;
      if (t.kind === 'semicolon') return void this.i++;
      if (t.kind === 'punct' && t.text in OPEN) this.skipBalanced();
      else this.i++;
    }
  }

  /** `kw spec` or `kw ( spec; spec; … )`. */
  private group(spec: () => void): void {
    if (!this.is('(')) {
      spec();
      return;
    }
    this.next();
    this.skipSemicolons();
    while (!this.is(')')) {
      spec();
      this.skipSemicolons();
    }
    this.next();
  }

  // ── declarations ──────────────────────────────────────────────────────────────────────────────────────

  private importSpec(): void {
    let alias: string | undefined;
    const first = this.next();
    let pathToken = first;
    if (first.kind === 'ident' || (first.kind === 'punct' && first.text === '.')) {
      alias = first.text;
      pathToken = this.next();
    }
    if (pathToken.kind !== 'string' && pathToken.kind !== 'rawString')
      throw new GoSyntaxError(`expected an import path but found '${pathToken.text}'`, pathToken.line);
    this.imports.push({
      ...(alias === undefined ? {} : { alias }),
      path: stringValue(pathToken),
      line: pathToken.line,
    });
  }

  private typeSpec(): void {
    const name = this.expect('ident');
    const alias = this.is('=');
    if (alias) this.next();
    this.types.push({ name: name.text, type: this.type(), alias, line: name.line });
  }

  /** `const X = …`, or a group where a spec without `=` repeats the previous one (iota runs): those get no value. */
  private constGroup(): void {
    this.group(() => {
      const names: Token[] = [this.expect('ident')];
      while (this.is(',')) {
        this.next();
        names.push(this.expect('ident'));
      }
      if (!this.is('=') && this.peek()?.kind !== 'semicolon' && !this.is(')')) this.type();
      let expressions: Token[][] = [];
      if (this.is('=')) {
        this.next();
        expressions = this.expressionList();
      }
      names.forEach((n, k) => {
        const expr = expressions[k];
        this.consts.push({ name: n.text, line: n.line, ...constValue(expr) });
      });
    });
  }

  /** Comma-separated expressions up to the end of the spec, each as its tokens. */
  private expressionList(): Token[][] {
    const out: Token[][] = [[]];
    while (!this.atEnd() && this.peek()!.kind !== 'semicolon' && !this.is(')')) {
      const t = this.peek()!;
      if (t.kind === 'punct' && t.text === ',') {
        this.next();
        out.push([]);
      } else if (t.kind === 'punct' && t.text in OPEN) {
        const start = this.i;
        this.skipBalanced();
        out[out.length - 1]!.push(...this.tokens.slice(start, this.i));
      } else out[out.length - 1]!.push(this.next());
    }
    return out;
  }

  /** `func Name(…) … { … }` or `func (r *T) Name(…) … { … }`: records the signature's results, skips the body. */
  private func(): void {
    let receiver: string | undefined;
    if (this.is('(')) {
      const start = this.i;
      this.skipBalanced();
      const inside = this.tokens.slice(start + 1, this.i - 1).filter((t) => t.kind === 'ident');
      receiver = inside[inside.length - 1]?.text;
    }
    const name = this.peek()?.kind === 'ident' ? this.next() : undefined;
    if (name !== undefined && this.is('(')) {
      this.skipBalanced();
      const results = this.results();
      if (receiver !== undefined) this.methods.push({ receiver, name: name.text, line: name.line });
      else this.functions.push({ name: name.text, results, line: name.line });
    }
    // The body (or nothing, for a declaration without one).
    while (!this.atEnd()) {
      const t = this.peek()!;
      if (t.kind === 'semicolon') return void this.i++;
      if (t.kind === 'punct' && t.text === '{') {
        this.skipBalanced();
        return;
      }
      if (t.kind === 'punct' && t.text in OPEN) this.skipBalanced();
      else this.i++;
    }
  }

  /** A signature's results: none, one type, or a parenthesized list whose entries may be named. */
  private results(): GoType[] {
    if (this.is('{') || this.peek()?.kind === 'semicolon') return [];
    if (!this.is('(')) return [this.type()];
    const start = this.i;
    this.skipBalanced();
    const parts: Token[][] = [[]];
    let depth = 0;
    for (const t of this.tokens.slice(start + 1, this.i - 1)) {
      if (t.kind === 'punct' && t.text in OPEN) depth++;
      if (t.kind === 'punct' && Object.values(OPEN).includes(t.text)) depth--;
      if (depth === 0 && t.kind === 'punct' && t.text === ',') parts.push([]);
      else parts[parts.length - 1]!.push(t);
    }
    const typeOf = (tokens: Token[]) => new FileParser(tokens, this.path).type();
    // `(cfg *Config, err error)` or `(a, b int)`: some entry is an identifier followed by a type.
    const named = parts.some(
      (p) =>
        p[0]?.kind === 'ident' &&
        !TYPE_KEYWORDS.has(p[0].text) &&
        p.length > 1 &&
        !(p[1]!.kind === 'punct' && p[1]!.text === '.'),
    );
    if (!named) return parts.filter((p) => p.length > 0).map(typeOf);
    const out: GoType[] = [];
    let pending = 0;
    for (const p of parts) {
      if (p.length === 1) pending++;
      else {
        const type = typeOf(p.slice(1));
        for (let k = 0; k <= pending; k++) out.push(type);
        pending = 0;
      }
    }
    return out;
  }

  // ── types ─────────────────────────────────────────────────────────────────────────────────────────────

  private type(): GoType {
    const t = this.next();
    if (t.kind === 'punct') {
      if (t.text === '*') return { kind: 'pointer', elem: this.type() };
      if (t.text === '(') {
        const inner = this.type();
        this.expect('punct', ')');
        return inner;
      }
      if (t.text === '<-') {
        this.expect('ident', 'chan');
        return { kind: 'chan', elem: this.type() };
      }
      if (t.text === '[') {
        if (this.is(']')) {
          this.next();
          return { kind: 'slice', elem: this.type() };
        }
        const start = this.i;
        this.i--;
        this.skipBalanced();
        const length = this.tokens
          .slice(start, this.i - 1)
          .map((x) => x.text)
          .join('');
        return { kind: 'array', length, elem: this.type() };
      }
    }
    if (t.kind === 'ident') {
      switch (t.text) {
        case 'map': {
          this.expect('punct', '[');
          const key = this.type();
          this.expect('punct', ']');
          return { kind: 'map', key, value: this.type() };
        }
        case 'chan':
          if (this.is('<-')) this.next();
          return { kind: 'chan', elem: this.type() };
        case 'struct':
          return { kind: 'struct', fields: this.structFields() };
        case 'interface':
          this.skipBalanced();
          return { kind: 'interface' };
        case 'func':
          this.funcSignature();
          return { kind: 'func' };
      }
      let named: GoType = { kind: 'named', name: t.text };
      if (this.is('.') && this.peek(1)?.kind === 'ident') {
        this.next();
        named = { kind: 'named', qualifier: t.text, name: this.next().text };
      }
      // An instantiated generic type (`gobreaker.CircuitBreaker[*jose.JSONWebKeySet]`): its type arguments are
      // skipped; it is recorded as the named type.
      if (this.is('[')) this.skipBalanced();
      return named;
    }
    throw new GoSyntaxError(`expected a type but found '${t.text}'`, t.line);
  }

  /** After `func`: the parameter list and an optional result (a list in parentheses or one type). */
  private funcSignature(): void {
    this.skipBalanced();
    if (this.is('(')) this.skipBalanced();
    else if (this.startsType()) this.type();
  }

  private startsType(): boolean {
    const t = this.peek();
    if (t === undefined) return false;
    if (t.kind === 'ident') return true;
    return t.kind === 'punct' && ['*', '[', '(', '<-'].includes(t.text);
  }

  private structFields(): GoField[] {
    this.expect('punct', '{');
    const fields: GoField[] = [];
    this.skipSemicolons();
    while (!this.is('}')) {
      fields.push(this.field());
      if (this.peek()?.kind === 'semicolon') this.skipSemicolons();
      else if (!this.is('}')) {
        const t = this.next();
        throw new GoSyntaxError(`expected ';' or '}' after a struct field but found '${t.text}'`, t.line);
      }
    }
    this.next();
    return fields;
  }

  private field(): GoField {
    const first = this.peek()!;
    const embedded =
      (first.kind === 'punct' && first.text === '*') ||
      (first.kind === 'ident' &&
        (this.is('.', 1) ||
          this.peek(1)?.kind === 'semicolon' ||
          this.is('}', 1) ||
          isTagToken(this.peek(1))));
    let names: string[] = [];
    let type: GoType;
    if (embedded) type = this.type();
    else {
      names = [this.expect('ident').text];
      while (this.is(',')) {
        this.next();
        names.push(this.expect('ident').text);
      }
      type = this.type();
    }
    const tagToken = isTagToken(this.peek()) ? this.next() : undefined;
    return {
      names,
      type,
      embedded,
      ...(tagToken === undefined ? {} : { tag: stringValue(tagToken) }),
      line: first.line,
    };
  }
}

function isTagToken(t: Token | undefined): t is Token {
  return t !== undefined && (t.kind === 'string' || t.kind === 'rawString');
}

function constValue(expr: Token[] | undefined): Pick<GoConstDecl, 'value' | 'expression'> {
  if (expr === undefined || expr.length === 0) return {};
  const expression = expr.map((t) => t.text).join(' ');
  const [a, b] = expr;
  if (expr.length === 1 && a !== undefined) {
    if (a.kind === 'string' || a.kind === 'rawString') return { value: stringValue(a), expression };
    if (a.kind === 'number') return { value: numberValue(a.text), expression };
  }
  if (expr.length === 2 && a?.kind === 'punct' && a.text === '-' && b?.kind === 'number')
    return { value: -numberValue(b.text), expression };
  return { expression };
}

function numberValue(text: string): number {
  const clean = text.replace(/_/g, '');
  if (/^0[bB]/.test(clean)) return Number.parseInt(clean.slice(2), 2);
  if (/^0[oO]/.test(clean)) return Number.parseInt(clean.slice(2), 8);
  if (/^0[0-7]+$/.test(clean)) return Number.parseInt(clean.slice(1), 8);
  return Number(clean);
}
