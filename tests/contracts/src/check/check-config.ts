import { parseDocument } from 'yaml';
import type { BinaryFacts, KeyFact, KeyKind } from '../facts/types.js';
import { joinPath, KeyIndex } from './key-index.js';
import { suggestKey } from './suggest.js';
import { goDurationNanos } from './values.js';

/** One thing wrong with a rendered config: the key path it is at and what is allowed. */
export interface Issue {
  /** Dotted path in the rendered config (`server.tls.certDir`, `items[2].name`); `` for the whole document. */
  readonly path: string;
  readonly message: string;
}

export interface CheckOptions {
  /**
   * Also demand required keys the binary would default (`server.listenAddr` for the gateway): a rendered
   * config that states every required value does not depend on kubernaut's defaults. Default false: only what
   * the binary itself would refuse.
   */
  readonly requireDefaulted?: boolean;
}

/**
 * Checks a rendered config (the parsed YAML object) against a binary's recorded facts:
 * - every key is one of the binary's keys (any key below a map; each element of a list of structs is checked);
 * - each value has the shape the Go field decodes (mapping, sequence, scalar; an integer for an int, a Go
 *   duration string for a `time.Duration`);
 * - every required key is present and non-empty (a key the binary defaults may be left out, unless
 *   `requireDefaulted`).
 * Returns no issues when the config is one the binary reads as written.
 */
export function checkConfigAgainstFacts(
  facts: BinaryFacts,
  rendered: unknown,
  options: CheckOptions = {},
): Issue[] {
  if (!isMapping(rendered))
    return [
      { path: '', message: `${facts.binary}'s config must be a YAML mapping, not ${describe(rendered)}` },
    ];
  const index = new KeyIndex(facts);
  const issues: Issue[] = [];
  walk(index, rendered, '', '', issues);
  issues.push(...checkRequired(facts, rendered, options));
  return issues;
}

/** `checkConfigAgainstFacts` on YAML text; a document that does not parse (or repeats a key) is one issue. */
export function checkConfigYaml(facts: BinaryFacts, text: string, options: CheckOptions = {}): Issue[] {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0)
    return doc.errors.map((e) => ({
      path: '',
      message: `${facts.binary}'s config is not valid YAML: ${e.message}`,
    }));
  return checkConfigAgainstFacts(facts, doc.toJS(), options);
}

function walk(
  index: KeyIndex,
  value: Record<string, unknown>,
  parent: string,
  shown: string,
  issues: Issue[],
): void {
  for (const [name, child] of Object.entries(value)) {
    const display = joinPath(shown, name);
    // A key with a dot in it is one YAML key, never a path: yaml.v3 would not match it.
    const fact = /[.[\]*]/.test(name) ? undefined : index.get(joinPath(parent, name));
    if (!fact) {
      if (!index.acceptsAnyKey(parent)) issues.push(...unknownKey(index, parent, name, child, display));
      continue;
    }
    const wrong = kindMismatch(fact, child);
    if (wrong) {
      issues.push({ path: display, message: `${wrong} (${fact.goType}, ${fact.at})` });
      continue;
    }
    if (fact.kind === 'object' && isMapping(child)) walk(index, child, fact.path, display, issues);
    if (fact.kind === 'list' && fact.elem === 'object' && Array.isArray(child))
      child.forEach((element, i) => {
        const at = `${display}[${i}]`;
        if (isMapping(element)) walk(index, element, `${fact.path}[]`, at, issues);
        else if (element !== null)
          issues.push({
            path: at,
            message: `is ${describe(element)}, but each element of ${fact.path} is a mapping`,
          });
      });
  }
}

function unknownKey(index: KeyIndex, parent: string, name: string, value: unknown, display: string): Issue[] {
  const owner = index.describeOwner(parent);
  const allowed = index.childrenOf(parent);
  const hint = (rest: string[]) => {
    const suggestion = suggestKey(index, parent, name, rest);
    if (suggestion) return `did you mean ${suggestion}?`;
    const shownKeys = allowed.length > 15 ? `${allowed.slice(0, 15).join(', ')}, …` : allowed.join(', ');
    return allowed.length === 0 ? 'it has no keys' : `its keys are ${shownKeys}`;
  };
  const leaves = isMapping(value) ? leafPaths(value) : [];
  if (leaves.length === 0) return [{ path: display, message: `not a key of ${owner}; ${hint([])}` }];
  // Name each leaf the writer meant to set, so the suggestion can be the key that exists (`server.metricsPort`).
  return leaves.map((rest) => ({
    path: `${display}.${rest.join('.')}`,
    message: `not a key of ${owner}; ${hint(rest)}`,
  }));
}

function leafPaths(value: Record<string, unknown>): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(value)) {
    const below = isMapping(v) ? leafPaths(v) : [];
    if (below.length === 0) out.push([k]);
    else for (const rest of below) out.push([k, ...rest]);
  }
  return out;
}

const YAML11_BOOLS = new Set('y Y yes Yes YES on On ON n N no No NO off Off OFF'.split(' '));

const KIND_WORDS: Record<KeyKind, string> = {
  object: 'a mapping',
  map: 'a mapping',
  list: 'a sequence',
  string: 'a string',
  int: 'an integer',
  float: 'a number',
  bool: 'true or false',
  duration: 'a Go duration string (e.g. "30s", "1h30m")',
  opaque: 'any value',
};

/** Why `value` cannot be decoded into the field, or undefined when it can (null always can: the zero value). */
function kindMismatch(fact: KeyFact, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const bad = `is ${describe(value)}, but ${fact.path} is ${KIND_WORDS[fact.kind]}`;
  switch (fact.kind) {
    case 'object':
    case 'map':
      return isMapping(value) ? undefined : bad;
    case 'list':
      return Array.isArray(value) ? undefined : bad;
    case 'string':
      return isScalar(value) ? undefined : bad;
    case 'int':
      if (typeof value === 'string' && /^[-+]?\d+$/.test(value))
        return `${bad}: a quoted number is a string to yaml.v3, which refuses it for an int`;
      return typeof value === 'number' && Number.isInteger(value) ? undefined : bad;
    case 'float':
      return typeof value === 'number' ? undefined : bad;
    case 'bool':
      // yaml.v3 also takes YAML 1.1's words when the field is a bool (decode.go: "some compatibility with 1.1").
      return typeof value === 'boolean' || (typeof value === 'string' && YAML11_BOOLS.has(value))
        ? undefined
        : bad;
    case 'duration':
      if (typeof value === 'number') return `${bad}: yaml.v3 refuses a number for a time.Duration`;
      return typeof value === 'string' && goDurationNanos(value) !== undefined ? undefined : bad;
    case 'opaque':
      return undefined;
  }
}

function checkRequired(
  facts: BinaryFacts,
  rendered: Record<string, unknown>,
  options: CheckOptions,
): Issue[] {
  const index = new KeyIndex(facts);
  const issues: Issue[] = [];
  for (const r of facts.required) {
    if (r.onlyWhenPresent !== undefined && valueAt(rendered, r.onlyWhenPresent) == null) continue;
    const value = valueAt(rendered, r.path);
    const rule = `${r.at}: ${r.quote}`;
    if (value === undefined) {
      if (r.default && !options.requireDefaulted) continue;
      const fallback = r.default
        ? `; ${facts.binary} would default it to ${r.default.value} (${r.default.at})`
        : '';
      issues.push({ path: r.path, message: `required by ${facts.binary} and missing (${rule})${fallback}` });
    } else if (isEmpty(value, index.get(r.path)?.kind)) {
      issues.push({
        path: r.path,
        message: `is empty (${describe(value)}), which ${facts.binary} refuses (${rule})`,
      });
    }
  }
  return issues;
}

/** The value at a dotted path of plain mappings; undefined when any step is missing. */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const segment of path.split('.')) {
    if (!isMapping(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

/** Go's zero value, which is what Validate refuses. */
function isEmpty(value: unknown, kind: KeyKind | undefined): boolean {
  if (value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (kind === 'duration' && typeof value === 'string') return goDurationNanos(value) === 0;
  return isMapping(value) && Object.keys(value).length === 0;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a sequence';
  if (isMapping(value)) return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the'} ${String(value)}`;
}
