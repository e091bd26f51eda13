import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// Light modules only (no zod, no toolchain): `--help` and bad input are answered before anything heavy loads.
import { ConfigError, type ConfigIssue } from '@kubernaut-e2e/core/errors';
import { CLUSTER_NAME_RULE, nameRuleViolation, registryAddressProblem } from '@kubernaut-e2e/core/names';
import {
  BUILD_ISOLATIONS,
  type BuildIsolation,
  KEEP_POLICIES,
  type KeepPolicy,
  keepFromEnvironment,
  PATTERNS,
  type Pattern,
  RUNTIMES,
  type RuntimeName,
} from '@kubernaut-e2e/setup/options';
import { AFFECTED_OPTIONS, type AffectedFlags, affectedFlags } from './affected-flags.js';

export const COMMANDS = [
  'up',
  'down',
  'plan',
  'render',
  'bench',
  'status',
  'dev',
  'gather',
  'prune',
  'affected',
  'init',
  'help',
] as const;
export type CommandName = (typeof COMMANDS)[number];

/** Commands that take exactly one service. */
const ONE_SERVICE: readonly CommandName[] = ['up', 'down', 'plan', 'render', 'dev', 'gather'];

/**
 * The command line, validated. Options a user did not give stay undefined, so the project config's defaults and
 * overrides apply under them.
 */
export interface CliArgs {
  readonly command: CommandName;
  /** Service names as typed; checked against the project config's services once it is loaded. */
  readonly services: readonly string[];
  readonly pattern?: Pattern;
  readonly runtime?: RuntimeName;
  readonly clusterName?: string;
  readonly keep?: KeepPolicy;
  readonly coverage?: boolean;
  /** `--json` or `--output json`: the machine-readable result (up, down, plan, bench, status…). */
  readonly json: boolean;
  /** `--output json|env`: how `up` and `down` print their result (`env`: `KUBERNAUT_E2E_…=` lines). */
  readonly output?: 'json' | 'env';
  readonly trace?: string;
  readonly timeline?: string;
  readonly projectRoot?: string;
  /** `--config <file>`: the project config, instead of the nearest `kubernaut-e2e.config.ts`. */
  readonly config?: string;
  /** Sim only: run the virtual clock this many times faster than real time (a live demo). */
  readonly realtime?: number;
  /** `--no-cache` and `--isolation <x>`: how podman builds (`SetupOptions.build`); only what was given. */
  readonly build?: { readonly noCache?: true; readonly isolation?: BuildIsolation };
  /** `--registry local|<host:port[/prefix]>`: registry mode (push images, nodes pull them). */
  readonly registry?: 'local' | { readonly url: string };
  /** `--cluster existing:<context>` (and `--kubeconfig <file>`): run on that existing, shared cluster. */
  readonly cluster?: { readonly existing: { readonly context: string; readonly kubeconfig?: string } };
  /** `dev` only: `--debounce <ms>`, edits closer together than this start one cycle. */
  readonly debounce?: number;
  /** `prune` only: `--older-than <duration>` in milliseconds; images built longer ago than this go. */
  readonly olderThanMs?: number;
  /** `render` only: `--show-secrets` prints Secret values instead of `<redacted>`. */
  readonly showSecrets?: true;
  /** `render` only: `--output-file <file>` writes the manifests there instead of stdout. */
  readonly outputFile?: string;
  /** `affected` only: `--since <ref>`, `--shards <n>`, `--matrix github`, `--test-times <file>`. */
  readonly affected?: AffectedFlags;
  /** `init` only: `--dir <checkout>`, the checkout to set up (default: the working directory). */
  readonly dir?: string;
  /** `init` only: `--force` rewrites `kubernaut-e2e.config.ts` and adds the dev dependencies to a `package.json` there. */
  readonly force?: true;
}

function oneOf<T extends string>(
  issues: ConfigIssue[],
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  issues.push({ path: flag, message: `unknown value "${value}"; allowed: ${allowed.join(', ')}` });
  return undefined;
}

/** An output file: a non-empty path, not a directory, in a directory that exists. Checked before anything runs. */
function outputFile(issues: ConfigIssue[], flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') {
    issues.push({ path: flag, message: 'an empty path; give a file path, e.g. out/timeline.html' });
    return undefined;
  }
  const path = resolve(value);
  if (existsSync(path) && statSync(path).isDirectory()) {
    issues.push({ path: flag, message: `${path} is a directory; give a file path inside it` });
    return undefined;
  }
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
  const [commandWord = 'help', ...services] = positionals;
  const command = values.help ? 'help' : (oneOf(issues, 'command', commandWord, COMMANDS) ?? 'help');
  if (ONE_SERVICE.includes(command) && services.length !== 1) {
    issues.push({ path: 'service', message: `\`${command}\` takes exactly one service` });
  }

  const clusterName = values['cluster-name'];
  if (clusterName !== undefined) {
    const violation = nameRuleViolation(CLUSTER_NAME_RULE, clusterName);
    if (violation !== undefined) issues.push({ path: '--cluster-name', message: violation });
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
  let olderThanMs: number | undefined;
  if (values['older-than'] !== undefined) {
    olderThanMs = parseDuration(values['older-than']);
    if (olderThanMs === undefined) {
      issues.push({
        path: '--older-than',
        message: `"${values['older-than']}" is not a duration; give a positive one such as 30m, 12h, 7d or 1h30m`,
      });
    }
  }
  let debounce: number | undefined;
  if (values.debounce !== undefined) {
    debounce = Number(values.debounce);
    if (!/^\d+$/.test(values.debounce.trim()) || !Number.isSafeInteger(debounce)) {
      issues.push({
        path: '--debounce',
        message: `expected whole milliseconds ≥ 0, got "${values.debounce}"`,
      });
    }
  }
  let registry: CliArgs['registry'];
  if (values.registry !== undefined) {
    const problem = values.registry === 'local' ? undefined : registryAddressProblem(values.registry);
    if (problem !== undefined) issues.push({ path: '--registry', message: `${problem}, or "local"` });
    else registry = values.registry === 'local' ? 'local' : { url: values.registry };
  }
  const cluster = existingClusterFlags(issues, values.cluster, values.kubeconfig, values.registry);
  const render = renderFlags(issues, command, values);
  const { dir, force } = initFlags(issues, command, services, values.dir, values.force);
  const config = values.config;
  if (config !== undefined && (config.trim() === '' || !existsSync(resolve(config)))) {
    issues.push({ path: '--config', message: `config file ${resolve(config)} does not exist` });
  }

  const output = oneOf(issues, '--output', values.output, ['json', 'env'] as const);
  if (output === 'env' && command !== 'up' && command !== 'down')
    issues.push({ path: '--output', message: '`env` is the output of `up` and `down`; use json' });
  const args: CliArgs = {
    command,
    services,
    json: (values.json ?? false) || output === 'json',
    ...optional('output', output ?? (values.json ? ('json' as const) : undefined)),
    ...optional('pattern', oneOf(issues, '--pattern', values.pattern, PATTERNS)),
    ...optional('runtime', oneOf(issues, '--runtime', values.runtime, RUNTIMES)),
    ...optional(
      'keep',
      values.keep !== undefined
        ? oneOf(issues, '--keep', values.keep, KEEP_POLICIES)
        : keepFromEnvironmentOrIssue(issues, env),
    ),
    ...optional('coverage', values.coverage ?? (env.E2E_COVERAGE === 'true' ? true : undefined)),
    ...(clusterName !== undefined ? { clusterName } : {}),
    ...optional('trace', outputFile(issues, '--trace', values.trace)),
    ...optional('timeline', outputFile(issues, '--timeline', values.timeline)),
    ...optional(
      'projectRoot',
      values['project-root'] === undefined ? undefined : resolve(values['project-root']),
    ),
    ...optional('config', config === undefined ? undefined : resolve(config)),
    ...optional('realtime', realtime),
    ...optional('registry', registry),
    ...optional('cluster', cluster),
    ...optional('build', buildFlags(issues, values['no-cache'], values.isolation)),
    ...optional('debounce', debounce),
    ...optional('olderThanMs', olderThanMs),
    ...render,
    ...optional('affected', affectedFlags(issues, command, values)),
    ...optional('dir', dir),
    ...optional('force', force),
  };
  if (args.affected?.matrix !== undefined && args.json)
    issues.push({
      path: '--matrix',
      message: '--matrix prints the matrix JSON itself; leave out --json (or --matrix)',
    });
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'command line' });
  return args;
}

/**
 * `render`'s own flags (`--show-secrets`, `--output-file <file>`), refused elsewhere; and render writes no trace or
 * timeline (it runs nothing), so those are refused with it.
 */
function renderFlags(
  issues: ConfigIssue[],
  command: CommandName,
  values: { 'show-secrets'?: boolean; 'output-file'?: string; trace?: string; timeline?: string },
): Pick<CliArgs, 'showSecrets' | 'outputFile'> {
  if (command !== 'render') {
    for (const flag of ['show-secrets', 'output-file'] as const)
      if (values[flag] !== undefined) issues.push({ path: `--${flag}`, message: 'only with `render`' });
    return {};
  }
  for (const flag of ['trace', 'timeline'] as const)
    if (values[flag] !== undefined)
      issues.push({
        path: `--${flag}`,
        message: '`render` runs nothing, so it has no trace or timeline; use `plan`',
      });
  return {
    ...(values['show-secrets'] ? { showSecrets: true as const } : {}),
    ...optional('outputFile', outputFile(issues, '--output-file', values['output-file'])),
  };
}

/** `init`: no service; `--dir <checkout>` (an existing directory) and `--force`, which only `init` takes. */
function initFlags(
  issues: ConfigIssue[],
  command: CommandName,
  services: readonly string[],
  dir: string | undefined,
  force: boolean | undefined,
): { dir?: string; force?: true } {
  if (command !== 'init') {
    if (dir !== undefined) issues.push({ path: '--dir', message: 'only with `init`' });
    if (force !== undefined) issues.push({ path: '--force', message: 'only with `init`' });
    return {};
  }
  const forced = force === true ? { force: true as const } : {};
  if (services.length > 0)
    issues.push({
      path: 'service',
      message:
        '`init` takes no service: it declares the suites it finds in the checkout (the working directory, or --dir)',
    });
  if (dir === undefined) return forced;
  const path = resolve(dir);
  if (!existsSync(path) || !statSync(path).isDirectory())
    issues.push({ path: '--dir', message: `${path} is not a directory; give the checkout's root` });
  return { dir: path, ...forced };
}

/** `--no-cache`, `--isolation`: the build settings the command line gives, or undefined when it gives none. */
function buildFlags(
  issues: ConfigIssue[],
  noCache: boolean | undefined,
  isolation: string | undefined,
): CliArgs['build'] {
  const chosen = oneOf(issues, '--isolation', isolation, BUILD_ISOLATIONS);
  if (!noCache && chosen === undefined) return undefined;
  return { ...(noCache ? { noCache: true as const } : {}), ...optional('isolation', chosen) };
}

/**
 * `--cluster existing:<context>` and `--kubeconfig <file>`. A registry the cluster pulls from is required too; when
 * the config gives it, the setup checks that (`registry`), so only `--registry local` is refused here.
 */
function existingClusterFlags(
  issues: ConfigIssue[],
  value: string | undefined,
  kubeconfig: string | undefined,
  registryFlag: string | undefined,
): CliArgs['cluster'] {
  if (kubeconfig !== undefined && value === undefined)
    issues.push({ path: '--kubeconfig', message: 'only with --cluster existing:<context>' });
  if (value === undefined) return undefined;
  const match = /^existing:(.*)$/.exec(value);
  if (!match) {
    issues.push({
      path: '--cluster',
      message: `unknown value "${value}"; give existing:<context>, a context of the kubeconfig`,
    });
    return undefined;
  }
  const context = match[1]!.trim();
  if (context === '') {
    issues.push({
      path: '--cluster',
      message: '"existing:" needs a context, e.g. existing:ci-shared (see kubectl config get-contexts)',
    });
  }
  if (registryFlag === 'local') {
    issues.push({
      path: '--registry',
      message:
        "an existing cluster cannot reach kind's local registry on this machine; give one it pulls from, host:port[/prefix]",
    });
  }
  let file: string | undefined;
  if (kubeconfig !== undefined) {
    file = resolve(kubeconfig);
    if (!existsSync(file) || !statSync(file).isFile())
      issues.push({ path: '--kubeconfig', message: `kubeconfig ${file} does not exist` });
  }
  return context === '' ? undefined : { existing: { context, ...optional('kubeconfig', file) } };
}

/** `KEEP_CLUSTER`, read as the setup library reads it; a bad value becomes one more issue of the command line. */
function keepFromEnvironmentOrIssue(issues: ConfigIssue[], env: NodeJS.ProcessEnv): KeepPolicy | undefined {
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
      config: { type: 'string' },
      registry: { type: 'string' },
      cluster: { type: 'string' },
      kubeconfig: { type: 'string' },
      'no-cache': { type: 'boolean' },
      isolation: { type: 'string' },
      debounce: { type: 'string' },
      'older-than': { type: 'string' },
      'show-secrets': { type: 'boolean' },
      output: { type: 'string' },
      'output-file': { type: 'string' },
      ...AFFECTED_OPTIONS,
      dir: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/**
 * `--help`: the commands, the services the project config declares, and the options. `configFile` is the config
 * they come from; without it they are the installed service packages' (the default config), or none.
 */
export function usage(
  services: readonly { name: string; description?: string }[],
  configFile?: string,
): string {
  const width = Math.max(12, ...services.map((s) => s.name.length));
  const list = services.map((s) => `  ${s.name.padEnd(width)}  ${s.description ?? ''}`.trimEnd()).join('\n');
  return `kubernaut-e2e — E2E infrastructure for kubernaut services on a local Kind cluster

Usage:
  kubernaut-e2e up <service>       build images, create the cluster, deploy, wait until ready
  kubernaut-e2e down <service>     delete the service's cluster and the images this tool built
  kubernaut-e2e plan <service>     show the step graph and its predicted timeline; touches nothing
  kubernaut-e2e render <service>   print the manifests \`up\` applies, in apply order, as YAML; touches nothing
  kubernaut-e2e bench [service…]   compare standard, hybrid and dag on the simulated toolchain
  kubernaut-e2e status             tools present, clusters and images this tool created
  kubernaut-e2e dev <service>      set up, then rebuild, load and roll what each edit changes; Ctrl-C stops
  kubernaut-e2e gather <service>   collect diagnostics from the service's kept cluster (pods, events, logs)
  kubernaut-e2e prune              remove images this tool built (--older-than <duration>), say what it freed
  kubernaut-e2e affected [service…]  the suites a change can break, and why (--since <ref>); --shards <n> spreads
                                   them over CI machines, --matrix github prints a GitHub Actions matrix
  kubernaut-e2e init               in a kubernaut checkout: write package.json and kubernaut-e2e.config.ts for the
                                   suites found there, ignore node_modules; refuses to overwrite (--force)

Services (${configFile ? `from ${configFile}` : services.length > 0 ? 'no kubernaut-e2e.config.ts found: the service packages installed here' : 'none: no kubernaut-e2e.config.ts found, and no service package installed here'}):
${services.length > 0 ? list : '  kubernaut-e2e init (in a kubernaut checkout), write a kubernaut-e2e.config.ts, npm install -D @kubernaut-e2e/gateway\n  (or another service), or pass --config <file>'}

Options:
  --pattern dag|standard|hybrid       step ordering (default: the config's, else the service's, else dag)
  --runtime auto|podman|docker|sim    real tools, or the in-process simulated toolchain (default auto)
  --config <file>                     the project config (default: the nearest kubernaut-e2e.config.ts)
  --cluster-name <name>               kind cluster name (default <service>-e2e)
  --keep never|on-failure|always      keep the cluster afterwards (default never; env KEEP_CLUSTER)
  --coverage                          build with GOFLAGS=-cover and mount /coverdata (env E2E_COVERAGE=true)
  --project-root <dir>                the kubernaut checkout to build from (default: the config's projectRoot; sim only: the bundled fixture project)
  --trace <file>                      write a Chrome trace-event JSON (opens in Perfetto)
  --timeline <file>                   write a self-contained HTML timeline
  --registry local|<host:port[/prefix]>  registry mode: push each image as it is built, nodes pull it
                                      (local: kind's kind-registry container on 127.0.0.1:5001, kept across runs)
  --cluster existing:<context>        run on that existing (shared) cluster, in a namespace of this run's own;
                                      needs --registry <host:port[/prefix]> the cluster pulls from
  --kubeconfig <file>                 with --cluster: the kubeconfig with the context (default KUBECONFIG, ~/.kube/config)
  --no-cache                          build every step again, reusing no layer (the seed's way)
  --isolation chroot|oci|rootless     podman's build isolation (default: env BUILDAH_ISOLATION, else podman's)
  --realtime <factor>                 sim only: play the run in wall time, <factor>× faster
  --debounce <ms>                     dev only: edits closer together start one cycle (default 300)
  --show-secrets                      render only: print Secret values (redacted by default)
  --output-file <file>                render only: write the manifests to <file> instead of stdout
  --since <ref>                       affected only: compare with this ref's merge base (default origin/HEAD, main…)
  --shards <n>                        affected only: assign the affected suites to n machines, longest first
  --matrix github                     affected only: print {"include":[{"shard":1,"suites":"…"}]} for a CI matrix
  --test-times <file>                 affected only: recorded test seconds per suite, JSON {"<suite>": 412, …}
  --dir <checkout>                    init only: the checkout to set up (default: the working directory)
  --force                             init only: rewrite kubernaut-e2e.config.ts, add the dev dependencies to an
                                      existing package.json (its other fields kept)
  --output json|env                   up/down: the result as JSON (docs/reference/run-result.md), or as
                                      KUBERNAUT_E2E_…= lines for a shell or a Makefile
  --json                              machine-readable output (--output json)

Exit codes: 0 success, 1 a step failed, 2 bad input (nothing ran), 130 interrupted (after cleanup).
`;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `30m`, `12h`, `7d`, `1h30m` → milliseconds; undefined for anything else (negative, zero, no unit). */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (!/^(\d+[smhdw])+$/.test(value)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)([smhdw])/g)) ms += Number(amount) * UNIT_MS[unit!]!;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}
