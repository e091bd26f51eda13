/** What the Go reader keeps of a source file: declarations only, never function bodies. */

export type GoType =
  /** `T` (package-local or predeclared) or `pkg.T` (`qualifier` is the import name as written). */
  | { readonly kind: 'named'; readonly qualifier?: string; readonly name: string }
  | { readonly kind: 'pointer'; readonly elem: GoType }
  | { readonly kind: 'slice'; readonly elem: GoType }
  | { readonly kind: 'array'; readonly length: string; readonly elem: GoType }
  | { readonly kind: 'map'; readonly key: GoType; readonly value: GoType }
  | { readonly kind: 'struct'; readonly fields: readonly GoField[] }
  | { readonly kind: 'chan'; readonly elem: GoType }
  | { readonly kind: 'interface' }
  | { readonly kind: 'func' };

export interface GoField {
  /** Empty for an embedded field. */
  readonly names: readonly string[];
  readonly type: GoType;
  readonly embedded: boolean;
  /** The struct tag's value (without its quotes), or undefined when the field has none. */
  readonly tag?: string;
  /** 1-based line of the field. */
  readonly line: number;
}

export interface GoImport {
  /** The explicit name (`sharedconfig`, `.`, `_`), or undefined to use the package's own name. */
  readonly alias?: string;
  readonly path: string;
  readonly line: number;
}

export interface GoTypeDecl {
  readonly name: string;
  readonly type: GoType;
  /** `type A = B` (an alias) rather than `type A B` (a new named type). */
  readonly alias: boolean;
  readonly line: number;
}

export interface GoConstDecl {
  readonly name: string;
  /** The literal's value when the constant is one string or number literal; else undefined. */
  readonly value?: string | number;
  /** The initializer's source text as tokens joined by spaces (`5 * time.Minute`), when there is one. */
  readonly expression?: string;
  readonly line: number;
}

export interface GoMethod {
  readonly receiver: string;
  readonly name: string;
  readonly line: number;
}

/** A top-level function (not a method): its name and result types. */
export interface GoFunc {
  readonly name: string;
  readonly results: readonly GoType[];
  readonly line: number;
}

export interface GoFile {
  /** Path of the file, relative to the module root, with `/` separators. */
  readonly path: string;
  readonly packageName: string;
  readonly imports: readonly GoImport[];
  readonly types: readonly GoTypeDecl[];
  readonly consts: readonly GoConstDecl[];
  readonly methods: readonly GoMethod[];
  readonly functions: readonly GoFunc[];
}

/** `*pkg.T`, `map[string][]int`: the type as Go would print it. */
export function formatType(type: GoType): string {
  switch (type.kind) {
    case 'named':
      return type.qualifier === undefined ? type.name : `${type.qualifier}.${type.name}`;
    case 'pointer':
      return `*${formatType(type.elem)}`;
    case 'slice':
      return `[]${formatType(type.elem)}`;
    case 'array':
      return `[${type.length}]${formatType(type.elem)}`;
    case 'map':
      return `map[${formatType(type.key)}]${formatType(type.value)}`;
    case 'struct':
      return 'struct{…}';
    case 'chan':
      return `chan ${formatType(type.elem)}`;
    case 'interface':
      return 'interface{…}';
    case 'func':
      return 'func(…)';
  }
}
