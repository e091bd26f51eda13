/**
 * `@kubernaut-e2e/setup/options`: the option values and defaults, `KEEP_CLUSTER`, and where the project config is,
 * without zod, the planner or any toolchain. A command line validates its flags with these before it loads
 * anything heavy; `options.ts` builds the options schema on them.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core/errors';
import { PATTERNS, type Pattern } from '@kubernaut-e2e/orchestrator/patterns';

export { CONFIG_FILE_NAMES, findConfigFile } from './config/find-config-file.js';
export { PATTERNS, type Pattern };
/** Real tools (`podman`, `docker`, or `auto`: whichever is installed) or `sim`, the in-process simulated toolchain. */
export const RUNTIMES = ['auto', 'podman', 'docker', 'sim'] as const;
/** Whether the cluster outlives teardown: `never`, `on-failure` (to debug a failed setup) or `always`. */
export const KEEP_POLICIES = ['never', 'on-failure', 'always'] as const;

/** podman's build isolations (`build.isolation`, `--isolation`); `BUILDAH_ISOLATION` takes the same values. */
export const BUILD_ISOLATIONS = ['chroot', 'oci', 'rootless'] as const;

export type RuntimeName = (typeof RUNTIMES)[number];
export type BuildIsolation = (typeof BUILD_ISOLATIONS)[number];
export type KeepPolicy = (typeof KEEP_POLICIES)[number];

/** The step ordering when neither the caller, the project config nor the service chooses one. */
export const DEFAULT_PATTERN: Pattern = 'dag';

/** The kind cluster a service's setup creates unless told otherwise: `<service>-e2e`, as the seed names them. */
export function defaultClusterName(service: string): string {
  return `${service}-e2e`;
}

/** Where setups write kubeconfigs (one file per cluster, mode 0600), so `status` can tell our clusters apart. */
export function kubeconfigDirectory(home = homedir()): string {
  return join(home, '.kube', 'kubernaut-e2e');
}

export function defaultKubeconfigPath(clusterName: string, home = homedir()): string {
  return join(kubeconfigDirectory(home), `${clusterName}.kubeconfig`);
}

/**
 * The keep policy from `KEEP_CLUSTER`: `true`/`1` (the seed's variable) means `always`, `false`/`0` or unset means
 * no preference, and a policy name is taken as is. Anything else is a `ConfigError` naming the variable.
 */
export function keepFromEnvironment(env: NodeJS.ProcessEnv): KeepPolicy | undefined {
  const value = env.KEEP_CLUSTER;
  if (value === undefined || value === '' || value === 'false' || value === '0') return undefined;
  if (value === 'true' || value === '1') return 'always';
  if ((KEEP_POLICIES as readonly string[]).includes(value)) return value as KeepPolicy;
  throw ConfigError.field(
    'KEEP_CLUSTER',
    `unknown value "${value}"; allowed: ${KEEP_POLICIES.join(', ')} (or true/false)`,
    'environment',
  );
}
