import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CommandRunner,
  type ContainerEngine,
  formatArgv,
  type KubeClient,
  type OperationContext,
} from '@kubernaut-e2e/core';
import { COVERAGE_DIR } from '../manifests/service-manifests.js';
import {
  covdataPercentArgs,
  covdataTextfmtArgs,
  coverHtmlArgs,
  type GoVersion,
  MIN_GO_FOR_COVDATA,
  type PackageCoverage,
  parseCovdataPercent,
  parseGoVersion,
  supportsCovdata,
} from './go-coverage-tools.js';

export interface CollectCoverageOptions {
  readonly kube: KubeClient;
  /** The engine running the kind nodes (podman or docker): `cp` copies the counters out of them. */
  readonly engine: ContainerEngine;
  /** Runs `go` (the process boundary; the same runner as the rest of the run). */
  readonly runner: CommandRunner;
  readonly namespace: string;
  /** The run's coverage directory, e.g. `<output folder>/coverage/<run>/` (created). */
  readonly dir: string;
  /**
   * Deployments to scale to 0. Default: every Deployment in `namespace` whose pod template sets
   * `GOCOVERDIR` — the coverage-instrumented Go services, and nothing else (PostgreSQL keeps running).
   */
  readonly deployments?: readonly string[];
  /**
   * Containers holding `/coverdata`. Default: the cluster's node names (`kubectl get nodes`), which kind
   * also gives the node containers.
   */
  readonly nodeContainers?: readonly string[];
  /** The `go` binary; `go` on PATH by default. */
  readonly go?: string;
  /** Where `go tool cover -html` runs: it reads the source of the covered module (the project root). */
  readonly projectRoot?: string;
  /** How long the scaled-down pods may take to go (default 120 s): Go writes its counters on exit. */
  readonly waitTimeoutMs?: number;
  readonly ctx?: OperationContext;
}

export interface CoverageReport {
  readonly dir: string;
  /** The raw counter files copied from the nodes (`GOCOVERDIR` format). */
  readonly dataDir: string;
  readonly scaled: readonly string[];
  /** Node containers the data was copied from. */
  readonly copiedFrom: readonly string[];
  /** Files in `dataDir` after the copy. */
  readonly files: number;
  /** The `go version` found, if any. */
  readonly go?: GoVersion;
  /** Per package, when Go ≥ 1.20 ran. */
  readonly packages?: readonly PackageCoverage[];
  /** The text profile for codecov (`coverage.txt`), when written. */
  readonly profile?: string;
  readonly html?: string;
  /** Commands (argv) still to run by hand: all three without Go ≥ 1.20, else those that failed. */
  readonly pending: readonly (readonly string[])[];
  /** What went wrong without stopping the collection (a node without data, a failed report). */
  readonly warnings: readonly string[];
}

const messageOf = (error: unknown) =>
  error instanceof Error ? error.message.split('\n')[0]! : String(error);

function selectorOf(deployment: Record<string, unknown>): string | undefined {
  const matchLabels = (deployment.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)
    ?.selector?.matchLabels;
  if (!matchLabels || Object.keys(matchLabels).length === 0) return undefined;
  return Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function setsCoverDir(deployment: Record<string, unknown>): boolean {
  const containers =
    (
      deployment.spec as
        | { template?: { spec?: { containers?: { env?: { name?: string }[] }[] } } }
        | undefined
    )?.template?.spec?.containers ?? [];
  return containers.some((c) => (c.env ?? []).some((e) => e.name === 'GOCOVERDIR'));
}

function itemsOf(json: unknown): Record<string, unknown>[] {
  const items = (json as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
}

function nameOf(object: Record<string, unknown>): string {
  return String((object.metadata as { name?: unknown } | undefined)?.name ?? '');
}

/**
 * Coverage at teardown, as the seed's suites do it: scales the coverage-instrumented Deployments to 0
 * and waits until their pods are gone (a Go binary built with `-cover` writes its counters when it
 * exits), copies `/coverdata` out of every node container into `<dir>/covdata`, then — with Go ≥ 1.20 on
 * PATH — prints per-package percentages (`go tool covdata percent`), writes the codecov profile
 * (`coverage.txt`, `covdata textfmt`) and the HTML report (`coverage.html`, `go tool cover -html`).
 * Without such a Go the raw data stays and `pending` holds the three commands. Never throws for a
 * command that fails (teardown goes on): see `warnings`.
 */
export async function collectCoverage(options: CollectCoverageOptions): Promise<CoverageReport> {
  const { kube, engine, runner, namespace, dir, ctx } = options;
  const warnings: string[] = [];
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      if (ctx?.signal?.aborted) throw error;
      warnings.push(`${what}: ${messageOf(error)}`);
      return undefined;
    }
  };
  const dataDir = join(dir, 'covdata');
  await mkdir(dataDir, { recursive: true });

  // 1–2. Scale to zero and wait for the pods to go, all Deployments at once.
  const listed = await attempt('listing Deployments', () => kube.getJson('deployments', { namespace }, ctx));
  const all = itemsOf(listed);
  const chosen = options.deployments
    ? all.filter((d) => options.deployments!.includes(nameOf(d)))
    : all.filter(setsCoverDir);
  for (const name of options.deployments ?? []) {
    if (!chosen.some((d) => nameOf(d) === name))
      warnings.push(`deployment/${name} is not in namespace ${namespace}`);
  }
  const scaled: string[] = [];
  await Promise.all(
    chosen.map(async (deployment) => {
      const name = nameOf(deployment);
      const done = await attempt(`scaling deployment/${name} to 0`, async () => {
        await kube.scale(`deployment/${name}`, namespace, 0, ctx);
        return true;
      });
      if (!done) return;
      scaled.push(name);
      const labelSelector = selectorOf(deployment);
      if (!labelSelector) return;
      await attempt(`waiting for the pods of deployment/${name} to go`, () =>
        kube.waitDeleted('pods', { namespace, labelSelector }, options.waitTimeoutMs ?? 120_000, ctx),
      );
    }),
  );
  scaled.sort();

  // 3. Copy the counters out of every node.
  const nodes =
    options.nodeContainers ??
    itemsOf(await attempt('listing nodes', () => kube.getJson('nodes', {}, ctx))).map(nameOf);
  const copiedFrom: string[] = [];
  for (const node of nodes) {
    const copied = await attempt(`copying ${COVERAGE_DIR} out of ${node}`, async () => {
      await engine.copyFromContainer(node, `${COVERAGE_DIR}/.`, dataDir, ctx);
      return true;
    });
    if (copied) copiedFrom.push(node);
  }
  const files = (await readdir(dataDir)).length;
  if (files === 0)
    warnings.push(
      `no coverage data in ${COVERAGE_DIR} of ${nodes.join(', ') || 'any node'}: were the images built with GOFLAGS=-cover, and did the services run?`,
    );

  // 4. Reports, when a Go that has `covdata` is here.
  const profile = join(dir, 'coverage.txt');
  const html = join(dir, 'coverage.html');
  const commands = [
    covdataPercentArgs(dataDir),
    covdataTextfmtArgs(dataDir, profile),
    coverHtmlArgs(profile, html),
  ];
  const goBinary = options.go ?? 'go';
  const base = { dir, dataDir, scaled, copiedFrom, files };
  const versionOutput = await runner
    .run(goBinary, ['version'], ctx?.signal ? { signal: ctx.signal } : {})
    .then(
      (r) => r.stdout,
      (error: unknown) => {
        if (ctx?.signal?.aborted) throw error;
        return undefined;
      },
    );
  const go = versionOutput === undefined ? undefined : parseGoVersion(versionOutput);
  if (!go || !supportsCovdata(go) || files === 0) {
    if (files > 0)
      warnings.push(
        `${go ? `${go.text} is too old for \`go tool covdata\`` : 'no `go` on PATH'}: Go ${MIN_GO_FOR_COVDATA.major}.${MIN_GO_FOR_COVDATA.minor} or later processes the data`,
      );
    return { ...base, ...(go ? { go } : {}), pending: commands.map((c) => [goBinary, ...c]), warnings };
  }
  const pending: string[][] = [];
  const runGo = async (args: string[], cwd?: string) =>
    attempt(`\`${formatArgv([goBinary, ...args])}\``, async () => {
      const result = await runner.run(goBinary, args, {
        ...(cwd ? { cwd } : {}),
        ...(ctx?.signal ? { signal: ctx.signal } : {}),
        ...(ctx?.log ? { log: ctx.log } : {}),
        logSource: ctx?.logSource ?? 'coverage',
      });
      return result.stdout;
    }).then((stdout) => {
      if (stdout === undefined) pending.push([goBinary, ...args]);
      return stdout;
    });
  const percentOutput = await runGo(commands[0]!);
  const wroteProfile = (await runGo(commands[1]!)) !== undefined;
  // The HTML report reads the covered packages' source, so it runs in the project (module) root.
  const wroteHtml = wroteProfile && (await runGo(commands[2]!, options.projectRoot)) !== undefined;
  if (!wroteProfile) pending.push([goBinary, ...commands[2]!]);
  return {
    ...base,
    go,
    ...(percentOutput === undefined ? {} : { packages: parseCovdataPercent(percentOutput) }),
    ...(wroteProfile ? { profile } : {}),
    ...(wroteHtml ? { html } : {}),
    pending,
    warnings,
  };
}

/** What teardown prints: per-package percentages and where the reports are, or the commands to run. */
export function formatCoverage(report: CoverageReport): string[] {
  const lines = [
    `Coverage: ${report.dir} (${report.files} data file${report.files === 1 ? '' : 's'} from ${report.copiedFrom.join(', ') || 'no node'})`,
  ];
  const width = Math.max(0, ...(report.packages ?? []).map((p) => p.importPath.length));
  for (const p of report.packages ?? [])
    lines.push(
      `  ${p.importPath.padEnd(width)}  ${p.percent === undefined ? 'no statements' : `${p.percent.toFixed(1)}% of statements`}`,
    );
  if (report.profile) lines.push(`  profile (codecov): ${report.profile}`);
  if (report.html) lines.push(`  HTML report:       ${report.html}`);
  for (const warning of report.warnings) lines.push(`  ! ${warning}`);
  if (report.pending.length > 0) {
    lines.push('  To process the data, run:');
    for (const argv of report.pending) lines.push(`    ${formatArgv(argv)}`);
  }
  return lines;
}
