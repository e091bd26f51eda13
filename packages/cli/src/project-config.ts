import { ConfigError } from '@kubernaut-e2e/core';
import {
  findConfigFile,
  type LoadedConfig,
  loadConfigFile,
  type Service,
  validateProjectConfig,
} from '@kubernaut-e2e/setup';
import type { CliArgs } from './args.js';

/**
 * The project config for this invocation: `--config`, else the nearest `kubernaut-e2e.config.ts` from the working
 * directory up, else the four built-in kubernaut services. With `cacheDir`, a TypeScript config's compiled form is
 * cached there, so an unchanged config that imports only packages loads without tsx.
 */
export async function loadProjectConfig(
  args: CliArgs,
  cwd: string,
  cacheDir?: string,
): Promise<LoadedConfig> {
  const file = args.config ?? findConfigFile(cwd);
  // One config per process: it shares the packages this process has loaded (setup, above) instead of loading copies.
  if (file !== undefined) {
    return loadConfigFile(file, { isolate: false, ...(cacheDir !== undefined ? { cacheDir } : {}) });
  }
  const { builtinServices } = await import('./builtin-services.js');
  return validateProjectConfig(
    { services: await builtinServices() },
    { subject: 'built-in services', dir: cwd },
  );
}

/** The services named on the command line, each one the config declares; an unknown name is refused with the list. */
export function selectServices(args: CliArgs, config: LoadedConfig): Service[] {
  const declared = config.services.map((s) => s.name);
  const unknown = args.services.filter((name) => !declared.includes(name));
  if (unknown.length > 0) {
    const where = config.file
      ? ` in ${config.file}`
      : ' (built in; add a kubernaut-e2e.config.ts to declare more)';
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
