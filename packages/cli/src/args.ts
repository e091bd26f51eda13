import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, type ConfigIssue, clusterNameSchema } from '@kubernaut-e2e/core';
import { keepFromEnvironment } from '@kubernaut-e2e/datastorage';

export const COMMANDS = ['up', 'down', 'plan', 'bench', 'status', 'help'] as const;
export type CommandName = (typeof COMMANDS)[number];
export const SERVICES = ['gateway', 'datastorage', 'notification', 'authwebhook'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const PATTERNS = ['dag', 'standard', 'hybrid'] as const;
export const RUNTIMES = ['auto', 'podman', 'docker', 'sim'] as const;
export const KEEP_POLICIES = ['never', 'on-failure', 'always'] as const;

export interface CliArgs {
  readonly command: CommandName;
  readonly services: readonly ServiceName[];
  readonly pattern: (typeof PATTERNS)[number];
  readonly runtime: (typeof RUNTIMES)[number];
  readonly clusterName?: string;
  readonly keep: (typeof KEEP_POLICIES)[number];
  readonly coverage: boolean;
  readonly json: boolean;
  readonly trace?: string;
  readonly timeline?: string;
  readonly projectRoot?: string;
  /** Sim only: run the virtual clock this many times faster than real time (a live demo). */
  readonly realtime?: number;
}

function oneOf<T extends string>(
  issues: ConfigIssue[],
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  issues.push({ path: flag, message: `unknown value "${value}"; allowed: ${allowed.join(', ')}` });
  return fallback;
}

function outputFile(issues: ConfigIssue[], flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const path = resolve(value);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    issues.push({
      path: flag,
      message: `directory ${dir} does not exist; give a path in an existing directory`,
    });
  }
  return path;
}

/**
 * Parses and validates the whole command line before anything runs. Every problem is collected into one
 * `ConfigError` (exit code 2) that names the flag and the allowed values.
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new ConfigError([{ path: 'arguments', message: (error as Error).message }], {
      subject: 'command line',
      cause: error,
    });
  }
  const { values, positionals } = parsed;
  const issues: ConfigIssue[] = [];
  const [commandWord = 'help', ...rest] = positionals;
  const command = values.help ? 'help' : oneOf(issues, 'command', commandWord, COMMANDS, 'help');

  const services: ServiceName[] = [];
  for (const word of rest) {
    if ((SERVICES as readonly string[]).includes(word)) services.push(word as ServiceName);
    else
      issues.push({ path: 'service', message: `unknown service "${word}"; allowed: ${SERVICES.join(', ')}` });
  }
  if ((command === 'up' || command === 'down' || command === 'plan') && rest.length !== 1) {
    issues.push({
      path: 'service',
      message: `\`${command}\` takes exactly one service: ${SERVICES.join(', ')}`,
    });
  }

  const clusterName = values['cluster-name'];
  if (clusterName !== undefined) {
    const result = clusterNameSchema.safeParse(clusterName);
    if (!result.success) {
      issues.push({
        path: '--cluster-name',
        message: `"${clusterName}" is not a valid kind cluster name: ${result.error.issues.map((i) => i.message).join('; ')}`,
      });
    }
  }

  let realtime: number | undefined;
  if (values.realtime !== undefined) {
    realtime = Number(values.realtime);
    if (!Number.isFinite(realtime) || realtime <= 0) {
      issues.push({
        path: '--realtime',
        message: `expected a positive speed-up factor, got "${values.realtime}"`,
      });
    }
  }

  const args: CliArgs = {
    command,
    services,
    pattern: oneOf(issues, '--pattern', values.pattern, PATTERNS, 'dag'),
    runtime: oneOf(issues, '--runtime', values.runtime, RUNTIMES, 'auto'),
    keep:
      values.keep !== undefined
        ? oneOf(issues, '--keep', values.keep, KEEP_POLICIES, 'never')
        : (keepFromEnvironmentOrIssue(issues, env) ?? 'never'),
    coverage: values.coverage ?? env.E2E_COVERAGE === 'true',
    json: values.json ?? false,
    ...(clusterName !== undefined ? { clusterName } : {}),
    ...optional('trace', outputFile(issues, '--trace', values.trace)),
    ...optional('timeline', outputFile(issues, '--timeline', values.timeline)),
    ...optional(
      'projectRoot',
      values['project-root'] === undefined ? undefined : resolve(values['project-root']),
    ),
    ...optional('realtime', realtime),
  };
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'command line' });
  return args;
}

/** `KEEP_CLUSTER`, read as the setup library reads it; a bad value becomes one more issue of the command line. */
function keepFromEnvironmentOrIssue(
  issues: ConfigIssue[],
  env: NodeJS.ProcessEnv,
): (typeof KEEP_POLICIES)[number] | undefined {
  try {
    return keepFromEnvironment(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      pattern: { type: 'string' },
      runtime: { type: 'string' },
      'cluster-name': { type: 'string' },
      keep: { type: 'string' },
      coverage: { type: 'boolean' },
      json: { type: 'boolean' },
      trace: { type: 'string' },
      timeline: { type: 'string' },
      'project-root': { type: 'string' },
      realtime: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export const USAGE = `kubernaut-e2e — E2E infrastructure for kubernaut services on a local Kind cluster

Usage:
  kubernaut-e2e up <service>       build images, create the cluster, deploy, wait until ready
  kubernaut-e2e down <service>     delete the service's cluster and the images this tool built
  kubernaut-e2e plan <service>     show the step graph and its predicted timeline; touches nothing
  kubernaut-e2e bench [service…]   compare standard, hybrid and dag on the simulated toolchain
  kubernaut-e2e status             tools present, clusters and images this tool created

Services: ${SERVICES.join(', ')}

Options:
  --pattern dag|standard|hybrid       step ordering (default dag)
  --runtime auto|podman|docker|sim    real tools, or the in-process simulated toolchain (default auto)
  --cluster-name <name>               kind cluster name (default <service>-e2e)
  --keep never|on-failure|always      keep the cluster afterwards (default never; env KEEP_CLUSTER)
  --coverage                          build with GOFLAGS=-cover and mount /coverdata (env E2E_COVERAGE=true)
  --project-root <dir>                the kubernaut checkout to build from (default: the bundled fixture project)
  --trace <file>                      write a Chrome trace-event JSON (opens in Perfetto)
  --timeline <file>                   write a self-contained HTML timeline
  --realtime <factor>                 sim only: play the run in wall time, <factor>× faster
  --json                              machine-readable output

Exit codes: 0 success, 1 a step failed, 2 bad input (nothing ran), 130 interrupted (after cleanup).
`;
