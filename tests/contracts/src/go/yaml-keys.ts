import { ContractsError, ContractsErrorCode } from '../errors.js';
import type { KeyFact, KeyKind } from '../facts/types.js';
import { formatType, type GoField, type GoFile, type GoType } from './ast.js';
import type { GoModule } from './module.js';
import { lookupTag, yamlTag } from './struct-tag.js';

/** Where a type expression appears: its package (for unqualified names) and file (for import names). */
interface Scope {
  readonly dir: string;
  readonly file: GoFile;
}

/** What a Go type is to a YAML decoder. */
type Shape =
  | { readonly kind: 'object'; readonly scope: Scope; readonly fields: readonly GoField[] }
  | { readonly kind: 'list'; readonly elem: Shape }
  | { readonly kind: Exclude<KeyKind, 'object' | 'list'>; readonly note?: string };

const INT_TYPES = new Set(
  'int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr byte rune'.split(' '),
);
const FLOAT_TYPES = new Set(['float32', 'float64']);

/**
 * Every YAML key gopkg.in/yaml.v3 reads into the struct `typeName` of package `dir`, following its rules:
 * the key is the `yaml` tag's name or the lowercased field name, `yaml:"-"` and unexported fields are skipped,
 * `,inline` merges a struct's keys (or, for a map, accepts any key), an embedded struct without `,inline` is a
 * key of its own (its lowercased type name). Types from other packages of the module are followed through
 * each file's imports; types from outside it are `opaque`, except `time.Duration`.
 */
export function yamlKeys(module: GoModule, dir: string, typeName: string): KeyFact[] {
  const located = module.findType(dir, typeName);
  if (!located) throw new ContractsError(ContractsErrorCode.GoSource, `no type ${typeName} in ${dir}`);
  if (located.decl.type.kind !== 'struct')
    throw new ContractsError(ContractsErrorCode.GoSource, `${dir}.${typeName} is not a struct`);
  const walker = new Walker(module);
  walker.struct({ dir, file: located.file }, located.decl.type.fields, '', [`${dir}.${typeName}`]);
  const seen = new Map<string, KeyFact>();
  for (const fact of walker.facts) {
    const first = seen.get(fact.path);
    if (first)
      throw new ContractsError(
        ContractsErrorCode.GoSource,
        `key ${fact.path} is declared twice (${first.at} and ${fact.at}); yaml.v3 refuses such a struct`,
      );
    seen.set(fact.path, fact);
  }
  return walker.facts;
}

class Walker {
  readonly facts: KeyFact[] = [];

  constructor(private readonly module: GoModule) {}

  struct(scope: Scope, fields: readonly GoField[], prefix: string, stack: readonly string[]): void {
    for (const field of fields) {
      const tag = yamlTag(field.tag);
      const at = `${scope.file.path}:${field.line}`;
      if (tag.skip) continue;
      if (tag.unknownFlags.length > 0)
        throw new ContractsError(
          ContractsErrorCode.GoSource,
          `${at}: yaml tag option(s) ${tag.unknownFlags.join(', ')} are not supported by yaml.v3`,
        );
      const names = field.embedded ? [embeddedName(field.type)] : field.names.filter(isExported);
      if (names.length === 0) continue;
      const shape = this.shape(scope, field.type, stack);
      if (tag.inline) {
        if (shape.shape.kind === 'object')
          this.struct(shape.shape.scope, shape.shape.fields, prefix, [...stack, ...shape.named]);
        else if (shape.shape.kind === 'map')
          this.facts.push({
            path: prefix === '' ? '*' : `${prefix}.*`,
            goType: formatType(field.type),
            kind: 'map',
            at,
          });
        else
          throw new ContractsError(
            ContractsErrorCode.GoSource,
            `${at}: ,inline needs a struct or a map (yaml.v3 refuses ${formatType(field.type)})`,
          );
        continue;
      }
      for (const name of names) {
        const path =
          prefix === '' ? tag.name || name.toLowerCase() : `${prefix}.${tag.name || name.toLowerCase()}`;
        this.emit(path, field, at, tag.omitempty, shape, stack);
      }
    }
  }

  private emit(
    path: string,
    field: GoField,
    at: string,
    omitempty: boolean,
    resolved: { shape: Shape; named: string[] },
    stack: readonly string[],
  ): void {
    const { shape } = resolved;
    const validate = lookupTag(field.tag ?? '', 'validate');
    this.facts.push({
      path,
      goType: formatType(field.type),
      kind: shape.kind,
      ...(shape.kind === 'list' ? { elem: shape.elem.kind } : {}),
      at,
      ...(omitempty ? { omitempty: true as const } : {}),
      ...(field.type.kind === 'pointer' ? { pointer: true as const } : {}),
      ...(validate === undefined ? {} : { validate }),
      ...('note' in shape && shape.note !== undefined ? { note: shape.note } : {}),
    });
    if (shape.kind === 'object') this.struct(shape.scope, shape.fields, path, [...stack, ...resolved.named]);
    if (shape.kind === 'list' && shape.elem.kind === 'object')
      this.struct(shape.elem.scope, shape.elem.fields, `${path}[]`, [...stack, ...resolved.named]);
  }

  /** The type's shape, and the named struct types passed through (for the recursion guard). */
  private shape(scope: Scope, type: GoType, stack: readonly string[]): { shape: Shape; named: string[] } {
    const named: string[] = [];
    const go = (s: Scope, t: GoType, depth: number): Shape => {
      if (depth > 32) return { kind: 'opaque', note: 'type chain too deep to follow' };
      switch (t.kind) {
        case 'pointer':
          return go(s, t.elem, depth + 1);
        case 'slice':
        case 'array':
          if (t.elem.kind === 'named' && t.elem.qualifier === undefined && t.elem.name === 'byte')
            return { kind: 'string', note: '[]byte: yaml.v3 reads a string (or !!binary) into it' };
          return { kind: 'list', elem: go(s, t.elem, depth + 1) };
        case 'map':
          return { kind: 'map' };
        case 'struct':
          return { kind: 'object', scope: s, fields: t.fields };
        case 'interface':
          return { kind: 'opaque', note: 'an interface: any YAML value' };
        case 'func':
        case 'chan':
          return { kind: 'opaque', note: `a ${t.kind}: yaml.v3 cannot decode into it` };
        case 'named':
          return this.named(s, t, depth, named, stack, go);
      }
    };
    return { shape: go(scope, type, 0), named };
  }

  private named(
    scope: Scope,
    t: Extract<GoType, { kind: 'named' }>,
    depth: number,
    named: string[],
    stack: readonly string[],
    go: (s: Scope, t: GoType, depth: number) => Shape,
  ): Shape {
    let dir = scope.dir;
    if (t.qualifier !== undefined) {
      const target = this.module.resolveImport(scope.file, t.qualifier);
      if (target === undefined)
        throw new ContractsError(
          ContractsErrorCode.GoSource,
          `${scope.file.path}: ${t.qualifier}.${t.name} names an import the file does not have`,
        );
      if (target.kind === 'external') {
        if (target.path === 'time' && t.name === 'Duration') return { kind: 'duration' };
        return { kind: 'opaque', note: `outside the module (${target.path}.${t.name})` };
      }
      dir = target.dir;
    } else {
      const basic = basicKind(t.name);
      if (basic && !this.module.findType(dir, t.name)) return basic;
    }
    const located = this.module.findType(dir, t.name);
    if (!located)
      throw new ContractsError(
        ContractsErrorCode.GoSource,
        `${scope.file.path}: no type ${t.name} in ${dir}`,
      );
    const id = `${dir}.${t.name}`;
    if (stack.includes(id) || named.includes(id))
      return { kind: 'opaque', note: `recursive type ${t.name}: keys below are not listed` };
    const methods = this.module.methodsOf(dir, t.name);
    if (methods.has('UnmarshalYAML'))
      return { kind: 'opaque', note: `${t.name} has its own UnmarshalYAML (${dir})` };
    if (methods.has('UnmarshalText')) return { kind: 'string', note: `${t.name} reads text (UnmarshalText)` };
    if (located.decl.type.kind === 'struct') named.push(id);
    return go({ dir, file: located.file }, located.decl.type, depth + 1);
  }
}

function basicKind(name: string): Shape | undefined {
  if (name === 'string') return { kind: 'string' };
  if (name === 'bool') return { kind: 'bool' };
  if (INT_TYPES.has(name)) return { kind: 'int' };
  if (FLOAT_TYPES.has(name)) return { kind: 'float' };
  if (name === 'any') return { kind: 'opaque', note: 'any: any YAML value' };
  if (name === 'error' || name === 'complex64' || name === 'complex128')
    return { kind: 'opaque', note: `${name}: yaml.v3 cannot decode into it` };
  return undefined;
}

function embeddedName(type: GoType): string {
  const base = type.kind === 'pointer' ? type.elem : type;
  if (base.kind !== 'named') throw new Error(`an embedded field must name a type, not ${formatType(type)}`);
  return base.name;
}

function isExported(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}
