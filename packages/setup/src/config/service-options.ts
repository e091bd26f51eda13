import type { SetupOptions } from '../options.js';
import type { Service } from '../service/definition.js';
import type { LoadedConfig } from './load-config.js';

/**
 * The setup options of one service of a project: the config's `defaults`, then its `overrides` for the service,
 * then what the caller gives (a command-line flag, a `globalSetup` option) — each only where it says something.
 */
export function serviceOptions(
  config: LoadedConfig,
  service: string,
  given: SetupOptions = {},
): SetupOptions {
  const override = config.overrides[service] ?? {};
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return {
    ...config.defaults,
    ...(config.projectRoot ? { projectRoot: config.projectRoot } : {}),
    ...override,
    ...defined,
  };
}

/** The service of that name, or undefined. */
export function findService(config: LoadedConfig, name: string): Service | undefined {
  return config.services.find((s) => s.name === name);
}
