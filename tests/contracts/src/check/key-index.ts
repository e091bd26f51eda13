import type { BinaryFacts, KeyFact } from '../facts/types.js';

/** The facts' keys by path and by parent, for lookups while walking a rendered config. */
export class KeyIndex {
  private readonly byPath = new Map<string, KeyFact>();
  private readonly children = new Map<string, string[]>();

  constructor(readonly facts: BinaryFacts) {
    for (const key of facts.keys) {
      this.byPath.set(key.path, key);
      const { parent, name } = splitPath(key.path);
      const list = this.children.get(parent) ?? [];
      list.push(name);
      this.children.set(parent, list);
    }
  }

  get(path: string): KeyFact | undefined {
    return this.byPath.get(path);
  }

  /** The key names directly under `parent` (`` for the top level; `items[]` for a list's elements). */
  childrenOf(parent: string): readonly string[] {
    return (this.children.get(parent) ?? []).filter((n) => n !== '*');
  }

  /** Whether `parent` inlines a map, so any key is accepted beside its own. */
  acceptsAnyKey(parent: string): boolean {
    return this.byPath.has(joinPath(parent, '*'));
  }

  all(): readonly KeyFact[] {
    return this.facts.keys;
  }

  /** Words for the struct a parent path is: `datastorage's Config (pkg/…/config.go:33)`. */
  describeOwner(parent: string): string {
    const { binary, configStruct } = this.facts;
    if (parent === '') return `${binary}'s ${configStruct.name} (${configStruct.at})`;
    const key = this.byPath.get(parent.replace(/\[\]$/, ''));
    const what = parent.endsWith('[]') ? `an element of ${parent.slice(0, -2)}` : parent;
    return key ? `${what} (${key.goType}, ${key.at})` : what;
  }
}

export function joinPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

/** `a.b[].c` → parent `a.b[]`, name `c`. */
export function splitPath(path: string): { parent: string; name: string } {
  const dot = path.lastIndexOf('.');
  return dot === -1 ? { parent: '', name: path } : { parent: path.slice(0, dot), name: path.slice(dot + 1) };
}
