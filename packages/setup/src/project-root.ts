import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@kubernaut-e2e/core';

/**
 * A miniature stand-in for the kubernaut repository (Dockerfiles, migrations, CRDs, kind configs) that the
 * simulated toolchain and the demo use when no project root is given. The published package carries a copy in
 * `dist/fixture-project` (made by the build); in this workspace the source is `services/fixture-project`.
 */
export const FIXTURE_PROJECT_ROOT = [
  fileURLToPath(new URL('./fixture-project', import.meta.url)),
  fileURLToPath(new URL('../../../services/fixture-project', import.meta.url)),
].find((dir) => existsSync(dir)) as string;

/**
 * `projectRoot` option, else `KUBERNAUT_PROJECT_ROOT`, else the bundled fixture project. Must be a directory.
 * Relative paths resolve against `cwd` (the project config's directory when the config sets it).
 */
export function resolveProjectRoot(
  option: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): string {
  const given = option ?? env.KUBERNAUT_PROJECT_ROOT;
  const root = given === undefined ? FIXTURE_PROJECT_ROOT : resolve(cwd, given);
  if (root === undefined || !existsSync(root) || !statSync(root).isDirectory()) {
    throw ConfigError.field(
      option !== undefined || given === undefined ? 'projectRoot' : 'KUBERNAUT_PROJECT_ROOT',
      `project root ${root ?? '(bundled fixture project)'} is not a directory; pass the path of your kubernaut checkout`,
      'setup options',
    );
  }
  return root;
}
