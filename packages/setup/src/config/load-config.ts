import { existsSync, statSync } from 'node:fs';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type ConfigIssue, configIssues } from '@kubernaut-e2e/core';
import type { Service } from '../service/definition.js';
import {
  compiledConfigFile,
  importCapturingCompiled,
  loadsWithoutTsx,
  readCompiledConfig,
  writeCompiledConfig,
} from './compiled-config.js';
import { checkProjectConfig, projectConfigSchema } from './config-schema.js';
import type { ProjectConfig, ProjectDefaults, ServiceOverride } from './define-config.js';

export { CONFIG_FILE_NAMES, findConfigFile } from './find-config-file.js';

/** A validated project config: the services by name, with paths made absolute. */
export interface LoadedConfig {
  /** The file it came from; absent for a config given as a value (e.g. the CLI's built-in services). */
  readonly file?: string;
  /** Absolute; relative `projectRoot` values resolve against the config file's directory. */
  readonly projectRoot?: string;
  readonly services: readonly Service[];
  readonly defaults: ProjectDefaults;
  readonly overrides: Readonly<Record<string, ServiceOverride>>;
}

/** How `loadConfigFile` loads a TypeScript config. */
export interface LoadConfigOptions {
  /**
   * `true` (the default): tsx loads the config and everything it imports in a namespace of its own, so loading the
   * file again evaluates it afresh and tsx stays out of the rest of the process; but the packages the config
   * imports load again there, as copies separate from the caller's. `false`: tsx is registered for the process
   * while the config loads, so the config shares module instances with the caller and a package the caller has
   * already loaded is not loaded (or compiled through tsx) again. For a process that loads one config, like the CLI.
   */
  readonly isolate?: boolean;
  /**
   * With `isolate: false`, a directory where the compiled form of a TypeScript config is cached, by its content and
   * its tsconfig.json. A config whose imports are all packages (no other TypeScript, no dynamic `import()`) then
   * loads as JavaScript without tsx, until it changes. Without it, tsx compiles the config every time.
   */
  readonly cacheDir?: string;
}

/**
 * Loads and validates a config file: TypeScript (`.ts`, `.mts`) through tsx, which runs on Node 20 and 22
 * alike; JavaScript with Node's own `import()`. Every problem is a `ConfigError` that names the file and the
 * field path: a missing file, a file that throws, no default export, an unknown field, a duplicate service, a
 * host port two services publish.
 */
export async function loadConfigFile(file: string, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const path = resolve(file);
  const subject = `project config ${path}`;
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw ConfigError.field('config', `config file ${path} does not exist`, 'project config');
  }
  let exported: unknown;
  try {
    exported = await importConfigModule(path, options);
  } catch (error) {
    const issues = (error as { issues?: unknown }).issues;
    if (Array.isArray(issues)) {
      // defineService refused a spec while the file was evaluated: keep its field paths, name the file.
      throw new ConfigError(issues as ConfigIssue[], {
        subject: `${subject} (${(error as Error).message
          .split('\n')[0]
          ?.replace(/^Invalid /, '')
          .replace(/:$/, '')})`,
        cause: error,
      });
    }
    throw new ConfigError(
      [
        {
          path: '(module)',
          message: `the config file threw while loading: ${(error as Error)?.message ?? error}`,
        },
      ],
      { subject, cause: error },
    );
  }
  if (exported === undefined || exported === null) {
    throw ConfigError.field(
      'default',
      'the config file has no default export; write `export default defineConfig({ services: [...] })`',
      subject,
    );
  }
  return validateProjectConfig(exported, { subject, file: path, dir: dirname(path) });
}

/** Validates a config given as a value; relative paths resolve against `dir` (the working directory by default). */
export function validateProjectConfig(
  value: unknown,
  source: { subject?: string; file?: string; dir?: string } = {},
): LoadedConfig {
  const subject = source.subject ?? 'project config';
  const parsed = projectConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(configIssues(parsed.error), { subject, cause: parsed.error });
  }
  const config = value as ProjectConfig;
  const issues = checkProjectConfig(config);
  if (issues.length > 0) throw new ConfigError(issues, { subject });
  const dir = source.dir ?? process.cwd();
  return {
    ...(source.file ? { file: source.file } : {}),
    ...(config.projectRoot ? { projectRoot: resolve(dir, config.projectRoot) } : {}),
    services: config.services,
    defaults: config.defaults ?? {},
    overrides: config.overrides ?? {},
  };
}

async function importConfigModule(path: string, options: LoadConfigOptions): Promise<unknown> {
  const ext = extname(path);
  if (ext === '.js' || ext === '.mjs') {
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    return module.default;
  }
  // Copies go beside the config (same directory, so relative and package imports resolve exactly as from the
  // original) and are removed at once.
  const copyOf = (extension: string) =>
    join(dirname(path), `.${basename(path, ext)}.${process.pid}.${Date.now()}${extension}`);
  const isolate = options.isolate ?? true;
  const cacheFile =
    !isolate && options.cacheDir !== undefined
      ? compiledConfigFile(options.cacheDir, path, await readFile(path))
      : undefined;
  const compiled = cacheFile === undefined ? undefined : await readCompiledConfig(cacheFile);
  if (cacheFile !== undefined && compiled !== undefined) {
    const copy = copyOf('.mjs');
    await writeFile(copy, compiled);
    try {
      return ((await import(pathToFileURL(copy).href)) as { default?: unknown }).default;
    } catch (error) {
      // A package it imports ships TypeScript now: nothing ran yet (imports link first), so tsx loads it below.
      if ((error as { code?: unknown } | null)?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
      await rm(cacheFile, { force: true });
    } finally {
      await rm(copy, { force: true });
    }
  }
  // tsx compiles the TypeScript; the packages the config imports are the same compiled JavaScript either way (see
  // `isolate`). A `.ts` file outside a `"type": "module"` package would run as CommonJS (and CommonJS cannot load
  // ESM-only dependencies), so it is imported as an `.mts` copy.
  const tsx = await import('tsx/esm/api');
  const copy = ext === '.mts' ? path : copyOf('.mts');
  if (copy !== path) await copyFile(path, copy);
  try {
    const url = pathToFileURL(copy).href;
    if (isolate) return ((await tsx.tsImport(url, import.meta.url)) as { default?: unknown }).default;
    if (cacheFile !== undefined) {
      const { module, capture } = await importCapturingCompiled(url, tsx);
      if (loadsWithoutTsx(capture)) await writeCompiledConfig(cacheFile, capture.compiled);
      return module.default;
    }
    const unregister = tsx.register();
    try {
      return ((await import(url)) as { default?: unknown }).default;
    } finally {
      await unregister();
    }
  } finally {
    if (copy !== path) await rm(copy, { force: true });
  }
}
