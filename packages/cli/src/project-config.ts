import { ConfigError } from '@kubernaut-e2e/core';
import { findConfigFile, type LoadedConfig, loadConfigFile, type Service } from '@kubernaut-e2e/setup';
import type { CliArgs } from './args.js';
import { DEFAULT_SERVICE_PACKAGES, loadDefaultConfig } from './default-config.js';

/**
 * The project config for this invocation: `--config`, else the nearest `kubernaut-e2e.config.ts` from the working
 * directory up, else the default config (the kubernaut service packages installed in the project). With none of
 * these, a `ConfigError` that says what to write, install or pass.
 */
export async function loadProjectConfig(args: CliArgs, cwd: string): Promise<LoadedConfig> {
  const config = await findProjectConfig(args, cwd);
  if (config !== undefined) return config;
  throw ConfigError.field('config', noConfigMessage(cwd), 'project config');
}

/** The project config in force, or undefined when there is no config file and no service package installed. */
export async function findProjectConfig(args: CliArgs, cwd: string): Promise<LoadedConfig | undefined> {
  // One config per process, sharing the packages this process has loaded (setup, above) rather than loading copies.
  const file = args.config ?? findConfigFile(cwd);
  return file !== undefined ? loadConfigFile(file) : loadDefaultConfig(cwd);
}

/** What to do when there is no project config. */
export function noConfigMessage(cwd: string): string {
  return (
    `no kubernaut-e2e.config.ts in ${cwd} or above it, and none of the service packages ` +
    `(${DEFAULT_SERVICE_PACKAGES.map((s) => s.name).join(', ')}) is installed there. In a kubernaut checkout, ` +
    '`kubernaut-e2e init` writes both the config and package.json. Or write a kubernaut-e2e.config.ts ' +
    `that declares your services, install the packages of the services you test ` +
    `(npm install -D ${DEFAULT_SERVICE_PACKAGES[0]!.name}), or pass --config <file>`
  );
}

/** The services named on the command line, each one the config declares; an unknown name is refused with the list. */
export function selectServices(args: CliArgs, config: LoadedConfig): Service[] {
  const declared = config.services.map((s) => s.name);
  const unknown = args.services.filter((name) => !declared.includes(name));
  if (unknown.length > 0) {
    const where = config.file
      ? ` in ${config.file}`
      : ' (the installed service packages; add a kubernaut-e2e.config.ts to declare more)';
    throw new ConfigError(
      unknown.map((name) => ({
        path: 'service',
        message: `unknown service "${name}"; declared${where}: ${declared.join(', ')}`,
      })),
      { subject: 'command line' },
    );
  }
  return args.services.map((name) => config.services.find((s) => s.name === name)!);
}
