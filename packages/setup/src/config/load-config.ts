import { existsSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type ConfigIssue, configIssues } from '@kubernaut-e2e/core';
import type { Service } from '../service/definition.js';
import { checkProjectConfig, projectConfigSchema } from './config-schema.js';
import type { ProjectConfig, ProjectDefaults, ServiceOverride } from './define-config.js';
import { importTypeScriptConfig, moduleProblem } from './import-config.js';

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

/**
 * Loads and validates a config file: TypeScript (`.ts`, `.mts`) with its types stripped, on Node 20 and 22 alike;
 * JavaScript with Node's own `import()`. The config shares the caller's module instances (one `@kubernaut-e2e/setup`
 * in the process), and loading the file again evaluates it afresh. Every problem is a `ConfigError` that names the
 * file and the field path: a missing file, a file that throws or is not valid TypeScript, an import that does not
 * resolve (with the package to install), no default export, an unknown field, a duplicate service, a host port two
 * services publish.
 */
export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  const subject = `project config ${path}`;
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw ConfigError.field('config', `config file ${path} does not exist`, 'project config');
  }
  let exported: unknown;
  try {
    exported = await importConfigModule(path);
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
    throw new ConfigError([{ path: '(module)', message: moduleProblem(error) }], { subject, cause: error });
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

async function importConfigModule(path: string): Promise<unknown> {
  const ext = extname(path);
  if (ext === '.js' || ext === '.mjs') {
    return ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
  }
  return importTypeScriptConfig(path);
}
