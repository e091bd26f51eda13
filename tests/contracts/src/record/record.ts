import { DriftError, type DriftProblem } from '../errors.js';
import type { Binary, BinaryFacts, KeyFact, PortFact, PortRole, RequiredKey } from '../facts/types.js';
import { findConfigFlag, findConfigLoad } from '../go/main-file.js';
import type { GoModule } from '../go/module.js';
import { yamlKeys } from '../go/yaml-keys.js';
import type { CuratedBinary, CuratedCitation } from './curated/types.js';
import { locateQuote, normalizeWhitespace } from './quotes.js';

export interface RecordOptions {
  readonly module: GoModule;
  /** The checkout's commit (recorded in the facts). */
  readonly commit: string;
  readonly repository?: string;
  readonly curated: CuratedBinary;
}

/** A curated citation whose line moved since it was written (the facts carry the new line). */
export interface MovedCitation {
  readonly fact: string;
  readonly from: string;
  readonly to: string;
}

export interface RecordResult {
  readonly facts: BinaryFacts;
  readonly moved: readonly MovedCitation[];
}

/**
 * Records one binary's facts from a checkout: the config struct `main` loads and its full YAML key tree, the
 * default config path, the required keys (curated ones, plus `validate:"required"` tags), the ports and the
 * notes. Throws a DriftError listing every curated fact that no longer holds.
 */
export function recordBinary(options: RecordOptions): RecordResult {
  const { module, curated } = options;
  const binary = curated.binary as Binary;
  const main = curated.main ?? `cmd/${binary}/main.go`;
  const problems: DriftProblem[] = [];
  const moved: MovedCitation[] = [];
  const cite = <T extends CuratedCitation>(fact: string, c: T): T => {
    const where = locateQuote(module, c.at, c.quote);
    if (!where.found) {
      problems.push({ fact, at: c.at, message: where.problem });
      return c;
    }
    if (where.moved) moved.push({ fact, from: c.at, to: where.at });
    return { ...c, at: where.at };
  };

  const load = findConfigLoad(module, main, curated.loader);
  const keys = yamlKeys(module, load.dir, load.typeName);
  const byPath = new Map(keys.map((k) => [k.path, k]));
  const mustBeKey = (fact: string, path: string, at: string) => {
    if (!byPath.has(path))
      problems.push({ fact, at, message: `${path} is no longer a key of ${load.typeName} (${load.typeAt})` });
  };

  // Default config path: the --config flag, or (curated) how a binary without one is told.
  const flag = findConfigFlag(module, main);
  let defaultConfigPath: BinaryFacts['defaultConfigPath'];
  if (flag) {
    if (curated.configPath)
      problems.push({
        fact: 'config path',
        at: flag.at,
        message: `${main} now defines --config (default ${flag.value}); remove configPath from the curated facts`,
      });
    defaultConfigPath = {
      value: flag.value,
      at: flag.at,
      flag: flag.flag,
      ...(flag.const ? { const: flag.const } : {}),
    };
  } else if (curated.configPath) {
    const c = cite('config path', curated.configPath);
    if (c.value !== undefined && !c.quote.includes(c.value))
      problems.push({ fact: 'config path', at: c.at, message: `the path ${c.value} is not in the quote` });
    defaultConfigPath =
      c.value === undefined
        ? { value: null, at: c.at, env: c.env, quote: c.quote, note: c.note }
        : { value: c.value, at: c.at, quote: c.quote, note: c.note };
  } else {
    problems.push({ fact: 'config path', at: main, message: `${main} defines no --config flag any more` });
    defaultConfigPath = { value: null, at: main };
  }

  // Required keys: curated, then those validate:"required" tags demand.
  const defaults = new Map<string, RequiredKey['default']>();
  for (const d of curated.defaults) {
    const c = cite(`default of ${d.path}`, d);
    if (!normalizeWhitespace(c.quote).includes(normalizeWhitespace(d.value)))
      problems.push({
        fact: `default of ${d.path}`,
        at: c.at,
        message: `the value ${d.value} is not in the quote`,
      });
    if (!curated.required.some((r) => r.path === d.path) && !tagRequired(keys).some((r) => r.path === d.path))
      problems.push({ fact: `default of ${d.path}`, at: c.at, message: `${d.path} is not a required key` });
    defaults.set(d.path, { value: d.value, at: c.at, quote: c.quote });
  }
  const required: RequiredKey[] = [];
  for (const r of curated.required) {
    const c = cite(`required ${r.path}`, r);
    mustBeKey(`required ${r.path}`, r.path, c.at);
    if (required.some((x) => x.path === r.path))
      problems.push({ fact: `required ${r.path}`, at: c.at, message: 'listed twice' });
    const def = defaults.get(r.path);
    required.push({
      path: r.path,
      at: c.at,
      quote: c.quote,
      ...(def ? { default: def } : {}),
      ...(r.onlyWhenPresent ? { onlyWhenPresent: r.onlyWhenPresent } : {}),
      ...(r.note ? { note: r.note } : {}),
      source: 'curated',
    });
  }
  for (const r of tagRequired(keys)) {
    if (required.some((x) => x.path === r.path)) continue;
    const def = defaults.get(r.path);
    const { source, onlyWhenPresent, ...cited } = r;
    required.push({
      ...cited,
      ...(def ? { default: def } : {}),
      ...(onlyWhenPresent ? { onlyWhenPresent } : {}),
      source,
    });
  }
  const order = new Map(keys.map((k, i) => [k.path, i]));
  required.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));

  const ports: Partial<Record<PortRole, PortFact>> = {};
  for (const role of ['health', 'metrics', 'api'] as const) {
    const p = curated.ports[role];
    if (!p) continue;
    const c = cite(`port ${role}`, p);
    if (p.configKey !== undefined) mustBeKey(`port ${role}`, p.configKey, c.at);
    if (p.value !== null && !c.quote.includes(String(p.value)))
      problems.push({ fact: `port ${role}`, at: c.at, message: `the value ${p.value} is not in the quote` });
    ports[role] = {
      value: p.value,
      ...(p.configKey === undefined ? {} : { configKey: p.configKey }),
      serves: p.serves,
      at: c.at,
      quote: c.quote,
      ...(p.note === undefined ? {} : { note: p.note }),
    };
  }

  const notes = curated.notes.map((n, i) => {
    const c = cite(`note ${i + 1}`, n);
    return { text: n.text, at: c.at, quote: c.quote };
  });

  if (problems.length > 0) throw new DriftError(binary, problems);
  return {
    facts: {
      kubernaut: { repository: options.repository ?? 'jordigilh/kubernaut', commit: options.commit },
      binary,
      main,
      configStruct: { name: load.typeName, package: load.dir, at: load.typeAt, loadedAt: load.at },
      defaultConfigPath,
      keys,
      required,
      ports,
      notes,
    },
    moved,
  };
}

/**
 * Keys whose `validate` tag says `required` (go-playground/validator): scalars, lists, maps and pointers (a
 * non-pointer struct's own `required` is not checked by `validator.New()`). Below a pointer the rule holds only
 * when that pointer is set; validator does not descend into lists without `dive`, so keys under `[]` are left out.
 */
function tagRequired(keys: readonly KeyFact[]): RequiredKey[] {
  const byPath = new Map(keys.map((k) => [k.path, k]));
  const out: RequiredKey[] = [];
  for (const key of keys) {
    if (!key.validate?.split(',').includes('required')) continue;
    if (key.kind === 'object' && !key.pointer) continue;
    if (key.path.includes('[]')) continue;
    const segments = key.path.split('.');
    let onlyWhenPresent: string | undefined;
    for (let n = segments.length - 1; n >= 1; n--) {
      const ancestor = segments.slice(0, n).join('.');
      if (byPath.get(ancestor)?.pointer) {
        onlyWhenPresent = ancestor;
        break;
      }
    }
    out.push({
      path: key.path,
      at: key.at,
      quote: `validate:"${key.validate}"`,
      ...(onlyWhenPresent ? { onlyWhenPresent } : {}),
      source: 'validate-tag',
    });
  }
  return out;
}
