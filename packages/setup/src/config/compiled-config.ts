import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import { dirname, join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';

/**
 * The compiled form of TypeScript configs, cached, so a config that imports only packages loads as plain JavaScript
 * without tsx: importing tsx and starting its module-hooks thread costs a third of a second before the config runs.
 */

/** Bump when what is cached, or how it is keyed, changes. */
const FORMAT = 1;

/**
 * Where the compiled form of the config at `configPath` with content `source` is cached: keyed by that content and
 * by the nearest `tsconfig.json` (tsx compiles with its settings).
 */
export function compiledConfigFile(cacheDir: string, configPath: string, source: Buffer): string {
  const hash = createHash('sha256').update(`compiled-config ${FORMAT}\0`).update(source);
  const tsconfig = nearestTsconfig(dirname(configPath));
  if (tsconfig !== undefined) hash.update(`\0${tsconfig}\0`).update(readFileSync(tsconfig));
  return join(cacheDir, `config-${hash.digest('hex').slice(0, 32)}.mjs`);
}

export async function readCompiledConfig(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

/** Written whole (a temporary file renamed into place); a cache that cannot be written is skipped. */
export async function writeCompiledConfig(file: string, compiled: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temporary, compiled);
    await rename(temporary, file);
  } catch {
    await rm(temporary, { force: true }).catch(() => {});
  }
}

/** What loading a config through tsx showed about it. */
export interface CompileCapture {
  /** tsx's JavaScript for the config file itself (its source map comment removed). */
  readonly compiled?: string;
  /** Whether tsx loaded TypeScript besides the config (a relative `.ts` import, a package shipping `.ts`). */
  readonly otherTypeScript: boolean;
}

/**
 * Whether the compiled config loads the same natively as through tsx: nothing but the config was TypeScript, and it
 * has no dynamic `import()` or `require()` that could reach TypeScript later.
 */
export function loadsWithoutTsx(capture: CompileCapture): capture is CompileCapture & { compiled: string } {
  return (
    capture.compiled !== undefined &&
    !capture.otherTypeScript &&
    !/\bimport\s*\(/.test(capture.compiled) &&
    !/\brequire\s*\(/.test(capture.compiled)
  );
}

/**
 * Module hooks that report tsx's output for one URL and every other TypeScript module loaded. They must be
 * registered after tsx's (hooks run last registered first), so `nextLoad` is tsx's compiler.
 */
const CAPTURE_HOOKS = `let port, target;
export function initialize(data) {
  port = data.port;
  target = decodeURIComponent(data.target);
  port.on('message', (message) => port.postMessage(message));
  port.unref();
}
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  // tsx marks the modules it compiles with queries, some of them encoded into the path (a.ts%3Ftsx-...).
  const path = decodeURIComponent(url.split(/[?#]/)[0]).split(/[?#]/)[0];
  if (path === target) {
    const source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
    port.postMessage({ compiled: source });
  } else if (/\\.(?:[cm]?tsx?|jsx)$/.test(path)) port.postMessage({ typescript: path });
  return result;
}`;

/**
 * Imports `url` (a TypeScript config) with tsx registered for the process, and captures its compiled form. The
 * capturing hooks stay registered (passing everything through) for the rest of the process.
 */
export async function importCapturingCompiled(
  url: string,
  tsx: typeof import('tsx/esm/api'),
): Promise<{ module: { default?: unknown }; capture: CompileCapture }> {
  const unregister = tsx.register();
  const { port1, port2 } = new MessageChannel();
  let compiled: string | undefined;
  let otherTypeScript = false;
  let flushed: (() => void) | undefined;
  port1.on('message', (message: { compiled?: string; typescript?: string; flush?: true }) => {
    if (message.compiled !== undefined)
      compiled = message.compiled.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
    else if (message.typescript !== undefined) otherTypeScript = true;
    else flushed?.();
  });
  try {
    register(`data:text/javascript,${encodeURIComponent(CAPTURE_HOOKS)}`, {
      data: { port: port2, target: url },
      transferList: [port2],
    });
    const module = (await import(url)) as { default?: unknown };
    await new Promise<void>((resolve) => {
      flushed = resolve;
      port1.postMessage({ flush: true });
    });
    return { module, capture: { ...(compiled !== undefined ? { compiled } : {}), otherTypeScript } };
  } finally {
    port1.close();
    await unregister();
  }
}

function nearestTsconfig(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'tsconfig.json');
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}
