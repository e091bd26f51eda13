import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * `from './x'`, `import './x'`, `export * from '../x'`: a static import of a file of the config's own. Matched in
 * sucrase's output, where types are gone and every import is still where the file wrote it.
 */
const STATIC_RELATIVE_IMPORT = /(\bfrom\s*|\bimport\s*)(['"])(\.{1,2}\/[^'"\n]+)\2/g;
/** `import('./x')`: a module of its own the config loads later, maybe after the copies are gone. */
const DYNAMIC_RELATIVE_IMPORT = /\bimport\s*\(\s*['"`]\.{1,2}\//;
/** Any import of a file of its own, in a JavaScript module the config imports (which Node loads as it is). */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"`]\.{1,2}\//;
const TYPESCRIPT_FILE = /\.m?ts$/;

let loads = 0;

/**
 * Imports a TypeScript config, with no module hooks (a hooks thread costs more to start than the rest of `--help`)
 * and no cache. The config and every TypeScript module it imports statically (`./x.js` naming `./x.ts` as
 * TypeScript writes it, or `./x.ts`) are stripped of their types into JavaScript copies beside their files, with the
 * imports between them pointing at the copies; the config's copy is imported and every copy removed at once. Beside
 * its file, each copy resolves its packages exactly as the file would (the caller's module instances), and
 * `import.meta.dirname` is the file's. A `//# sourceURL` names the file itself in stack traces, and the lines are
 * the file's (sucrase keeps each on its line). Each load evaluates the modules afresh.
 *
 * A config whose modules import one of their own dynamically (`import('./x.js')`, which may run after the copies
 * are gone), or import a JavaScript module of their own that imports further files of its own, loads instead
 * through module hooks that compile every TypeScript module on the way; they stay for the process.
 */
export async function importTypeScriptConfig(path: string): Promise<unknown> {
  const { transformTypeScript, TYPESCRIPT_HOOKS_URL } = await import('./typescript.js');
  const tag = `${process.pid}.${Date.now()}.${++loads}`;
  const copies = new Map<string, Promise<string>>();
  const written: string[] = [];
  let needsHooks = false;

  /** Writes the copy of a TypeScript file (and, first, of the TypeScript files it imports); returns its path. */
  const copy = (file: string): Promise<string> => {
    let pending = copies.get(file);
    if (pending === undefined) {
      const target = join(dirname(file), copyName(file, tag));
      pending = (async () => {
        const code = transformTypeScript(await readFile(file, 'utf8'), file);
        if (DYNAMIC_RELATIVE_IMPORT.test(code)) needsHooks = true;
        const rewritten = code.replace(
          STATIC_RELATIVE_IMPORT,
          (match, lead: string, quote: string, specifier: string) => {
            const imported = resolve(dirname(file), specifier);
            const own = typeScriptModule(imported);
            if (own === undefined) {
              // A JavaScript module of its own loads as it is, and what it imports with it: TypeScript needs hooks.
              if (existsSync(imported) && RELATIVE_IMPORT.test(readFileSync(imported, 'utf8')))
                needsHooks = true;
              return match;
            }
            // Registered before it is awaited, so an import cycle finds the copy's name and does not wait on itself.
            const name = copyName(own, tag);
            copy(own).catch(() => {}); // awaited below, with every other copy
            const to = relative(dirname(file), join(dirname(own), name))
              .split(sep)
              .join('/');
            return `${lead}${quote}${to.startsWith('../') ? '' : './'}${to}${quote}`;
          },
        );
        written.push(target);
        await writeFile(target, `${rewritten}\n//# sourceURL=${pathToFileURL(file).href}\n`);
        return target;
      })();
      copies.set(file, pending);
    }
    return pending;
  };

  try {
    const root = await copy(path);
    // Every copy the graph needs is written before any is imported (settle all, then fail on the first problem).
    let settled = 0;
    while (settled < copies.size) {
      const all = [...copies.values()];
      await Promise.all(all);
      settled = all.length;
    }
    if (needsHooks) {
      // Run from source (this repository's tests), the hooks are TypeScript themselves, and vitest compiles it.
      if (!TYPESCRIPT_HOOKS_URL.endsWith('.ts')) registerHooks(TYPESCRIPT_HOOKS_URL);
      return ((await import(`${pathToFileURL(path).href}?load=${tag}`)) as { default?: unknown }).default;
    }
    return ((await import(pathToFileURL(root).href)) as { default?: unknown }).default;
  } catch (error) {
    throw naming(error, copies, tag);
  } finally {
    await Promise.allSettled([...copies.values()]);
    await Promise.all(written.map((file) => rm(file, { force: true })));
  }
}

/** The TypeScript file a relative import names, as TypeScript resolves it (`./x.js` → `./x.ts`); else undefined. */
function typeScriptModule(target: string): string | undefined {
  if (TYPESCRIPT_FILE.test(target)) return existsSync(target) ? target : undefined;
  if (existsSync(target)) return undefined; // JavaScript of its own: Node imports it as it is.
  const ts = target.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts');
  return ts !== target && existsSync(ts) ? ts : undefined;
}

const copyName = (file: string, tag: string) => `.${basename(file)}.${tag}.mjs`;

let hooksRegistered = false;
function registerHooks(url: string): void {
  if (hooksRegistered) return;
  register(url);
  hooksRegistered = true;
}

/** The error with every temporary copy's name replaced by its file's own, in its message and stack. */
function naming(error: unknown, copies: ReadonlyMap<string, unknown>, tag: string): unknown {
  if (!(error instanceof Error)) return error;
  const rename = (text: string) => {
    let out = text;
    for (const file of copies.keys()) {
      const copy = join(dirname(file), copyName(file, tag));
      out = out.replaceAll(pathToFileURL(copy).href, pathToFileURL(file).href).replaceAll(copy, file);
    }
    return out;
  };
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
