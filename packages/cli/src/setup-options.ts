import { ConfigError } from '@kubernaut-e2e/core';
import {
  defaultOutputDir,
  type LoadedConfig,
  type Service,
  type SetupOptions,
  serviceOptions,
} from '@kubernaut-e2e/setup';
import type { CliArgs } from './args.js';
import type { CliIo } from './io.js';

/**
 * The prelude of every command on one service (`up`, `down`, `plan`, `render`, `dev`, `gather`): its name and its setup
 * options. `buildsCheckout` (`up`, `dev`): a real runtime needs a kubernaut checkout, refused before anything runs.
 */
export function serviceCommand(
  args: CliArgs,
  config: LoadedConfig,
  definition: Service,
  io: Pick<CliIo, 'env' | 'cwd'>,
  { buildsCheckout = false }: { readonly buildsCheckout?: boolean } = {},
): { readonly service: string; readonly options: SetupOptions } {
  const service = definition.name;
  const options = setupOptionsFor(args, config, service, io.env, io.cwd);
  if (buildsCheckout) requireCheckoutForRealRuntime(options, io.env);
  return { service, options };
}

/** A service's setup options: the project config's defaults and overrides, then the flags the user gave. */
export function setupOptionsFor(
  args: CliArgs,
  config: LoadedConfig,
  service: string,
  env: NodeJS.ProcessEnv,
  /** The CLI's working directory: run outputs go to the state folder of this project (`defaultOutputDir`). */
  cwd?: string,
): SetupOptions {
  const options = serviceOptions(config, service, {
    pattern: args.pattern,
    runtime: args.runtime,
    keep: args.keep,
    coverage: args.coverage,
    clusterName: args.clusterName,
    projectRoot: args.projectRoot,
    realtimeFactor: args.realtime,
    outputDir: cwd === undefined ? undefined : defaultOutputDir(service, cwd, env),
    env,
  });
  const withCluster = args.cluster === undefined ? options : { ...options, cluster: args.cluster };
  const withRegistry =
    args.registry === undefined ? withCluster : { ...withCluster, registry: args.registry };
  // A flag beats the config's `defaults.build` field by field: `--no-cache` keeps the config's isolation.
  return args.build === undefined
    ? withRegistry
    : { ...withRegistry, build: { ...withRegistry.build, ...args.build } };
}

/**
 * `up` and `dev` on real tools build from a kubernaut checkout, which must be named: `--project-root`, the config's
 * `projectRoot`, or `KUBERNAUT_PROJECT_ROOT`. Only the simulated toolchain falls back to the fixture project setup
 * carries (a model of kubernaut's layout), so a real run never builds it by mistake. Bad input: nothing has run.
 */
function requireCheckoutForRealRuntime(options: SetupOptions, env: NodeJS.ProcessEnv): void {
  const runtime = options.runtime ?? 'auto';
  if (runtime === 'sim' || options.projectRoot !== undefined || env.KUBERNAUT_PROJECT_ROOT) return;
  throw ConfigError.field(
    'projectRoot',
    `runtime "${runtime}" builds your kubernaut checkout, and none was named: pass --project-root <your kubernaut checkout> ` +
      '(or set projectRoot in kubernaut-e2e.config.ts, or KUBERNAUT_PROJECT_ROOT); --runtime sim runs without one',
    'command line',
  );
}
