import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@kubernaut-e2e/core';

/**
 * The bundled stand-in for the kubernaut repository (`services/fixture-project` in this workspace): what the
 * simulated toolchain and the demo build from when no project root is given.
 */
export const FIXTURE_PROJECT_ROOT = fileURLToPath(new URL('../../../fixture-project', import.meta.url));

/** `projectRoot` option, else `KUBERNAUT_PROJECT_ROOT`, else the bundled fixture project. Must be a directory. */
export function resolveProjectRoot(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const given = option ?? env.KUBERNAUT_PROJECT_ROOT;
  const root = resolve(given ?? FIXTURE_PROJECT_ROOT);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw ConfigError.field(
      given === undefined ? 'projectRoot' : option !== undefined ? 'projectRoot' : 'KUBERNAUT_PROJECT_ROOT',
      `project root ${root} is not a directory; pass the path of your kubernaut checkout`,
      'setup options',
    );
  }
  return root;
}
