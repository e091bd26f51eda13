/**
 * TypeScript for project configs on Node 20 and 22 alike, with no cache: sucrase strips the types (it parses and
 * prints nothing else, so a line stays on its line and a stack trace's line numbers are the file's own). Loaded only
 * when a config is TypeScript; bundled into setup, so it costs one file.
 *
 * This module is also the module hooks (`resolve`, `load`) that compile every TypeScript module a config imports,
 * registered with `register(TYPESCRIPT_HOOKS_URL)` only for a config whose modules import one of their own
 * dynamically (a hooks thread is the dearest part of loading a config; `import-config.ts` does without it otherwise).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'sucrase';

/** This module's URL: the module hooks to register (after bundling, the file that holds this code). */
export const TYPESCRIPT_HOOKS_URL = import.meta.url;

/** TypeScript (`.ts`, `.mts`) to an ES module; throws sucrase's SyntaxError (with line and column) on bad syntax. */
export function transformTypeScript(source: string, file: string): string {
  return transform(source, { transforms: ['typescript'], disableESTransforms: true, filePath: file }).code;
}

const TYPESCRIPT_FILE = /\.m?ts$/;

interface ResolveContext {
  readonly conditions: readonly string[];
  readonly parentURL?: string;
}
interface Resolved {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
interface Loaded {
  readonly format: string;
  readonly source?: string | ArrayBuffer | Uint8Array | null;
  readonly shortCircuit?: boolean;
}

/** Module hook: `./orders.js` names `./orders.ts` when only that exists, as TypeScript writes its imports. */
export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: (specifier: string, context?: ResolveContext) => Promise<Resolved>,
): Promise<Resolved> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relativeJs = /^\.{1,2}\//.test(specifier) && specifier.endsWith('.js');
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND' || !relativeJs) throw error;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

/** Module hook: a `.ts`/`.mts` file loads as the ES module sucrase makes of it. */
export async function load(
  url: string,
  context: { readonly format?: string | null },
  nextLoad: (url: string, context?: { readonly format?: string | null }) => Promise<Loaded>,
): Promise<Loaded> {
  if (!url.startsWith('file:') || !TYPESCRIPT_FILE.test(new URL(url).pathname)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  return {
    format: 'module',
    source: transformTypeScript(await readFile(file, 'utf8'), file),
    shortCircuit: true,
  };
}
