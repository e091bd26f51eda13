import {
  type AffectedReport,
  assignShards,
  findAffectedSuites,
  formatAffectedReport,
  formatShards,
  githubMatrix,
  predictSetupTimes,
  readTestTimes,
  type Shard,
} from '@kubernaut-e2e/affected';
import { ConfigError, createCommandRunner } from '@kubernaut-e2e/core';
import { type LoadedConfig, resolveProjectRoot, type Service } from '@kubernaut-e2e/setup';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { setupOptionsFor } from '../setup-options.js';

/**
 * `affected [service…]`: the suites (services of the project config; all of them unless named) that the changes since
 * `--since` can break, each with the first changed input that reaches it. `--shards n` assigns the affected suites to
 * n machines by predicted setup time (the simulator's, as `plan` predicts it) plus recorded test time
 * (`--test-times`); `--matrix github` prints them as a GitHub Actions matrix on stdout, the report on stderr.
 * Reads git only (rev-parse, merge-base, diff, ls-files); builds and runs nothing.
 */
export async function affectedCommand(
  args: CliArgs,
  config: LoadedConfig,
  selected: readonly Service[],
  io: CliIo,
): Promise<number> {
  const flags = args.affected ?? {};
  const services = selected.length > 0 ? selected : config.services;
  const given = args.projectRoot ?? config.projectRoot;
  if (given === undefined && !io.env.KUBERNAUT_PROJECT_ROOT)
    throw ConfigError.field(
      '--project-root',
      '`affected` reads the git history of your kubernaut checkout, and none was named: pass --project-root <checkout> (or set projectRoot in kubernaut-e2e.config.ts, or KUBERNAUT_PROJECT_ROOT)',
      'command line',
    );
  // A directory, resolved as every command resolves it (relative paths against the working directory).
  const projectRoot = resolveProjectRoot(given, io.env, io.cwd);
  // Bad input first: the test times name suites of this config.
  const testTimes =
    flags.testTimes === undefined
      ? undefined
      : await readTestTimes(
          flags.testTimes,
          config.services.map((s) => s.name),
        );
  const kindConfigs = Object.fromEntries(
    config.services.map((s) => [s.name, config.overrides[s.name]?.kindConfig]),
  );
  const report = await findAffectedSuites({
    runner: createCommandRunner(),
    projectRoot,
    suites: services,
    ...(flags.since !== undefined ? { since: flags.since } : {}),
    ...(config.file !== undefined ? { configFile: config.file } : {}),
    kindConfigs,
  });

  let shards: Shard[] | undefined;
  const count = flags.shards ?? (flags.matrix !== undefined ? 1 : undefined);
  if (count !== undefined) {
    const affected = services.filter((s) => report.suites.some((v) => v.name === s.name && v.affected));
    const setup = await predictSetupTimes(affected, (s) =>
      setupOptionsFor(args, config, s.name, io.env, io.cwd),
    );
    shards = assignShards(
      affected.map((s) => ({
        suite: s.name,
        setupMs: setup.get(s.name) ?? 0,
        testMs: testTimes?.get(s.name) ?? 0,
      })),
      count,
    );
  }
  if (flags.matrix === 'github') {
    io.stderr(formatAffectedReport(report));
    if (shards) io.stderr(`\n${formatShards(shards, count!, testTimes !== undefined)}`);
    io.stdout(`${JSON.stringify(githubMatrix(shards ?? []))}\n`);
    return ExitCode.Ok;
  }
  if (args.json) {
    io.stdout(`${JSON.stringify(jsonOf(report, shards, count, testTimes !== undefined), null, 2)}\n`);
    return ExitCode.Ok;
  }
  io.stdout(formatAffectedReport(report));
  if (shards) io.stdout(`\n${formatShards(shards, count!, testTimes !== undefined)}`);
  return ExitCode.Ok;
}

function jsonOf(
  report: AffectedReport,
  shards: Shard[] | undefined,
  count: number | undefined,
  withTests: boolean,
) {
  return {
    since: report.since,
    base: report.base,
    changedFiles: report.changedFiles,
    uncommitted: report.uncommitted,
    affected: report.suites.filter((s) => s.affected).map((s) => s.name),
    suites: report.suites,
    files: report.files,
    notes: report.notes,
    ...(shards !== undefined
      ? {
          shards: {
            machines: count,
            predicted: withTests ? 'setup + recorded test time' : 'setup time',
            plan: shards,
          },
        }
      : {}),
  };
}
