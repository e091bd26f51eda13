import { CommandError } from '../errors/command-error.js';
import { ToolNotFoundError } from '../errors/simple-errors.js';
import type { CommandRunner } from '../ports/command-runner.js';
import { installHint } from '../runner/install-hints.js';
import { findExecutable } from './find-executable.js';
import {
  parseDockerVersion,
  parseGenericVersion,
  parseKindVersion,
  parseKubectlClientVersion,
  parsePodmanVersion,
} from './parsers.js';
import { compareVersions, MINIMUM_VERSIONS, parseVersion, type ToolVersion } from './versions.js';

export interface ToolStatus {
  readonly name: string;
  readonly present: boolean;
  /** As printed, e.g. `4.3.1`, `1.32.4-dispatcher`. Absent when the output could not be read. */
  readonly version?: string;
  /** Absolute path on PATH. */
  readonly path?: string;
  /** Something worth telling the user, e.g. that docker's daemon is not reachable. */
  readonly note?: string;
}

interface Probe {
  readonly args: readonly string[];
  readonly parse: (stdout: string) => ToolVersion | undefined;
}

/** How to ask each tool for its version; anything else gets `--version`. */
const PROBES: Readonly<Record<string, Probe>> = {
  podman: { args: ['--version'], parse: parsePodmanVersion },
  docker: { args: ['version', '--format', '{{.Client.Version}}'], parse: parseDockerVersion },
  kind: { args: ['version'], parse: parseKindVersion },
  kubectl: { args: ['version', '--client', '-o', 'json'], parse: parseKubectlClientVersion },
};
const DEFAULT_PROBE: Probe = { args: ['--version'], parse: parseGenericVersion };
const PROBE_TIMEOUT_MS = 15_000;

export const DEFAULT_TOOLS: readonly string[] = ['podman', 'docker', 'kind', 'kubectl'];

/**
 * Which tools are installed, where, and at which version — by running each one's version command
 * through `runner` (in parallel). Never throws for a missing or broken tool; that is what the report
 * is for. Feed it to `requireTools` to fail with install instructions.
 */
export async function detectTools(
  runner: CommandRunner,
  names: readonly string[] = DEFAULT_TOOLS,
  options: { readonly pathVariable?: string; readonly signal?: AbortSignal } = {},
): Promise<ToolStatus[]> {
  return Promise.all(names.map((name) => detectOne(runner, name, options)));
}

async function detectOne(
  runner: CommandRunner,
  name: string,
  options: { readonly pathVariable?: string; readonly signal?: AbortSignal },
): Promise<ToolStatus> {
  const probe = PROBES[name] ?? DEFAULT_PROBE;
  const path = findExecutable(name, options.pathVariable ?? process.env.PATH ?? '');
  const where = path ? { path } : {};
  const run = (args: readonly string[]) =>
    runner.run(name, args, {
      timeoutMs: PROBE_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  try {
    const { stdout } = await run(probe.args);
    const version = probe.parse(stdout);
    return {
      name,
      present: true,
      ...where,
      ...(version
        ? { version: version.raw }
        : { note: `could not read a version from \`${name} ${probe.args.join(' ')}\`` }),
    };
  } catch (error) {
    if (error instanceof ToolNotFoundError) return { name, present: false };
    if (name === 'docker' && error instanceof CommandError) return detectDockerClientOnly(run, where, error);
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { name, present: true, ...where, note: `\`${name} ${probe.args.join(' ')}\` failed: ${message}` };
  }
}

/**
 * `docker version` exits non-zero when the daemon is unreachable even though it printed the client
 * version. The CLI is still usable for `build` once a daemon runs, so read the client version from
 * `docker --version` and say why the first command failed.
 */
async function detectDockerClientOnly(
  run: (args: readonly string[]) => Promise<{ stdout: string }>,
  where: { path?: string },
  failure: CommandError,
): Promise<ToolStatus> {
  const daemon = failure.stderrTail.at(-1) ?? `exit code ${failure.exitCode}`;
  try {
    const version = parseDockerVersion((await run(['--version'])).stdout);
    return {
      name: 'docker',
      present: true,
      ...where,
      ...(version ? { version: version.raw } : {}),
      note: `the docker daemon is not reachable: ${daemon}`,
    };
  } catch {
    return { name: 'docker', present: true, ...where, note: `the docker daemon is not reachable: ${daemon}` };
  }
}

/**
 * Throws one `ToolNotFoundError` naming every tool in `names` that is missing or older than
 * `MINIMUM_VERSIONS`, with how to install each. A tool whose version could not be read passes.
 */
export function requireTools(report: readonly ToolStatus[], names: readonly string[]): void {
  const problems: { name: string; why: string }[] = [];
  for (const name of names) {
    const status = report.find((s) => s.name === name);
    if (!status?.present) {
      problems.push({ name, why: `\`${name}\` was not found on PATH` });
      continue;
    }
    const minimum = MINIMUM_VERSIONS[name];
    const version = status.version ? parseVersion(status.version) : undefined;
    const required = minimum ? parseVersion(minimum) : undefined;
    if (version && required && compareVersions(version, required) < 0) {
      problems.push({
        name,
        why: `\`${name}\` ${status.version} is too old (${minimum} or newer is required)`,
      });
    }
  }
  if (problems.length === 0) return;
  throw new ToolNotFoundError(
    problems.map((p) => p.name).join(', '),
    problems.map((p) => `${p.name}: ${installHint(p.name)}`).join('. '),
    { detail: problems.map((p) => p.why).join('; ') },
  );
}
