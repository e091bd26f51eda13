import { readFile, rm, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `from './x'`, `import './x'`, `import('../x')`: the config imports a file of its own. */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"]\.{1,2}\//;

/**
 * Imports a TypeScript config. One that imports only packages: its JavaScript goes into a file beside it (so its
 * imports resolve exactly as the config's own, and the packages are the caller's module instances), which is
 * imported and removed at once. One that imports files of its own (which may be TypeScript, or import TypeScript)
 * loads through module hooks that compile every TypeScript module on the way; they stay for the process.
 */
export async function importTypeScriptConfig(path: string): Promise<unknown> {
  const typescript = await import('./typescript.js');
  const code = typescript.transformTypeScript(await readFile(path, 'utf8'), path);
  if (RELATIVE_IMPORT.test(code)) {
    // Run from source (this repository's tests), the hooks are TypeScript themselves, and vitest compiles TypeScript.
    if (!typescript.TYPESCRIPT_HOOKS_URL.endsWith('.ts')) registerHooks(typescript.TYPESCRIPT_HOOKS_URL);
    // A query makes each load evaluate the config afresh, as a copy's does.
    return ((await import(`${pathToFileURL(path).href}?load=${Date.now()}`)) as { default?: unknown })
      .default;
  }
  const copy = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.mjs`);
  await writeFile(copy, code);
  try {
    return ((await import(pathToFileURL(copy).href)) as { default?: unknown }).default;
  } catch (error) {
    throw naming(error, copy, path);
  } finally {
    await rm(copy, { force: true });
  }
}

let hooksRegistered = false;
function registerHooks(url: string): void {
  if (hooksRegistered) return;
  register(url);
  hooksRegistered = true;
}

/** The error with the temporary copy's name replaced by the config file's own, in its message and stack. */
function naming(error: unknown, copy: string, path: string): unknown {
  if (!(error instanceof Error)) return error;
  const rename = (text: string) =>
    text.replaceAll(pathToFileURL(copy).href, pathToFileURL(path).href).replaceAll(copy, path);
  error.message = rename(error.message);
  if (error.stack !== undefined) error.stack = rename(error.stack);
  return error;
}

/**
 * What went wrong while the config module loaded, for a `ConfigError` that names the config file; for a package
 * that is not installed, the command that installs it.
 */
export function moduleProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /Cannot find package '([^']+)' imported from (\S+)/.exec(message);
  if ((error as { code?: unknown } | null)?.code === 'ERR_MODULE_NOT_FOUND' && missing !== null) {
    const name = missing[1]!;
    return `cannot find package "${name}" (imported from ${missing[2]}); install it in the project: npm install -D ${name}`;
  }
  if (error instanceof SyntaxError && /^Error transforming /.test(message)) {
    return `the config file is not valid TypeScript: ${message.replace(/^Error transforming \S+: /, '')}`;
  }
  return `the config file threw while loading: ${message}`;
}
