import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { parse, stringify } from 'yaml';
import type { ContentSpec } from './spec/content.js';
import type { RunContext } from './spec/run-context.js';

/** Where a content's field sits, for errors: `deployments[0].configFiles[0].files["config.yaml"]`. */
const fileField = (at: string, name: string) => `${at}.files[${JSON.stringify(name)}]`;

const evaluate = <T>(value: T | ((run: RunContext) => T), run: RunContext): T =>
  typeof value === 'function' ? (value as (run: RunContext) => T)(run) : value;

/** Writes `value` at a dotted key path, creating the mappings on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null) node[key] = {};
    else if (typeof next !== 'object' || Array.isArray(next))
      throw ConfigError.field(path, `"${key}" in ${path} is not a mapping, so ${path} cannot be set`);
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/**
 * The text of one file: an object rendered as YAML, text as it is, or a repository file (with `set` values written
 * over a YAML one). A repository file that does not exist, or a `set` on a file that is not a YAML mapping, is a
 * `ConfigError` at the field that names it.
 */
export function renderContent(content: ContentSpec, field: string, run: RunContext): string {
  if ('yaml' in content) return stringify(evaluate(content.yaml, run), { lineWidth: 0 });
  if ('text' in content) return evaluate(content.text, run);
  const path = join(run.projectRoot, content.file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw ConfigError.field(
      `${field}.file`,
      `${content.file} is not a file in the project root ${run.projectRoot}`,
    );
  }
  const text = readFileSync(path, 'utf8');
  if (content.set === undefined) return text;
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw ConfigError.field(
      `${field}.set`,
      `${content.file} is not YAML, so keys cannot be set in it: ${(error as Error).message}`,
    );
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw ConfigError.field(
      `${field}.set`,
      `${content.file} is not a YAML mapping, so keys cannot be set in it`,
    );
  }
  for (const [key, value] of Object.entries(content.set)) {
    try {
      setPath(document as Record<string, unknown>, key, evaluate(value, run));
    } catch (error) {
      throw ConfigError.field(`${field}.set.${key}`, (error as Error).message);
    }
  }
  return stringify(document, { lineWidth: 0 });
}

/** A ConfigMap's or Secret's data: every file rendered. */
export function renderFiles(
  files: Readonly<Record<string, ContentSpec>>,
  at: string,
  run: RunContext,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([name, content]) => [name, renderContent(content, fileField(at, name), run)]),
  );
}
