import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ClusterProvider, KubeClient, LogLine, OperationContext } from '@kubernaut-e2e/core';
import { diagnose } from './diagnose.js';
import type { FailedStep } from './diagnose-error.js';
import type { Finding } from './findings.js';
import { parseNodeList, parsePodList } from './kube-status.js';

export interface GatherDiagnosticsOptions {
  /** The cluster's API (kubectl, or the simulator's). */
  readonly kube: KubeClient;
  /** The run's namespace: every pod in it is described and its logs saved. */
  readonly namespace: string;
  /** Where to write, e.g. `<output folder>/diagnostics/<run>/` (created). */
  readonly dir: string;
  /**
   * Exports kind's logs (`kind export logs`) into `<dir>/kind-logs`. Leave it out when the run already
   * exported them there (the scheduler does on failure when given `logsDir`).
   */
  readonly cluster?: { readonly provider: ClusterProvider; readonly name: string };
  /** The step that failed: its error (diagnosed) and its full output (saved as `failed-step.log`). */
  readonly failedStep?: FailedStep & { readonly output?: readonly LogLine[] };
  /** The run's plan and trace, saved as `plan.json` and `trace.json`. */
  readonly plan?: unknown;
  readonly trace?: unknown;
  /** Lines of each current log to keep (default 2000; a crashed instance's log is kept whole). */
  readonly logTailLines?: number;
  readonly ctx?: OperationContext;
}

/** Something that could not be collected (a command failed); gathering goes on without it. */
export interface DiagnosticsGap {
  readonly what: string;
  readonly reason: string;
}

export interface DiagnosticsReport {
  readonly dir: string;
  /** The causes recognised, most relevant first. */
  readonly findings: readonly Finding[];
  /** Files written, relative to `dir`. */
  readonly files: readonly string[];
  readonly gaps: readonly DiagnosticsGap[];
}

/** kubectl processes at once: a namespace's pods are few, and the API server is a laptop's kind node. */
const CONCURRENCY = 4;

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 3).join(' ');
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function formatOutput(lines: readonly LogLine[]): string {
  return lines.map((l) => `[${l.stream}] ${l.text}`).join('\n');
}

/**
 * Collects what explains a failed run into `dir` and diagnoses it. Writes `pods.json`, `events.json`,
 * `nodes.json` and `node-conditions.txt`; per pod `pods/<pod>/describe.txt`, `<container>.log` and, for a
 * container that restarted, `<container>.previous.log`; `kind-logs/` when `cluster` is given;
 * `failed-step.log` and `failed-step.error.txt`; `plan.json`, `trace.json`; and `findings.txt`. Never
 * throws for a command that fails (a cluster that is half gone is exactly when this runs): each such gap
 * is reported and written to `gaps.txt`.
 */
export async function gatherDiagnostics(options: GatherDiagnosticsOptions): Promise<DiagnosticsReport> {
  const { kube, namespace, dir, ctx } = options;
  const files: string[] = [];
  const gaps: DiagnosticsGap[] = [];
  const write = async (relative: string, content: string) => {
    const path = join(dir, relative);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content.endsWith('\n') || content === '' ? content : `${content}\n`);
    files.push(relative);
  };
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      if (ctx?.signal?.aborted) throw error;
      gaps.push({ what, reason: reasonOf(error) });
      return undefined;
    }
  };
  await mkdir(dir, { recursive: true });

  const [pods, events, nodes] = await Promise.all([
    attempt('pods', () => kube.getJson('pods', { namespace }, ctx)),
    attempt('events', () => kube.getJson('events', { namespace }, ctx)),
    attempt('nodes', () => kube.getJson('nodes', {}, ctx)),
  ]);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}`;
  if (pods !== undefined) await write('pods.json', json(pods));
  if (events !== undefined) await write('events.json', json(events));
  if (nodes !== undefined) {
    await write('nodes.json', json(nodes));
    const lines = parseNodeList(nodes).flatMap((n) => [
      `${n.name}:`,
      ...n.conditions.map(
        (c) =>
          `  ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`,
      ),
    ]);
    await write('node-conditions.txt', lines.join('\n'));
  }

  const previousLogs: Record<string, string> = {};
  const tail = options.logTailLines ?? 2000;
  await eachLimited(parsePodList(pods), CONCURRENCY, async (pod) => {
    const base = `pods/${pod.name}`;
    const described = await attempt(`describe pod/${pod.name}`, () =>
      kube.describe(`pod/${pod.name}`, namespace, ctx),
    );
    if (described !== undefined) await write(`${base}/describe.txt`, described);
    for (const c of pod.containers) {
      const current = await attempt(`logs of ${pod.name}/${c.name}`, () =>
        kube.logs(namespace, pod.name, { container: c.name, tailLines: tail }, ctx),
      );
      if (current !== undefined) await write(`${base}/${c.name}.log`, current);
      // kubectl refuses `--previous` for a container that never terminated; only a restart leaves one.
      if (c.restartCount === 0 && !c.lastTerminated) continue;
      const previous = await attempt(`previous logs of ${pod.name}/${c.name}`, () =>
        kube.logs(namespace, pod.name, { container: c.name, previous: true }, ctx),
      );
      if (previous !== undefined) {
        previousLogs[`${pod.name}/${c.name}`] = previous;
        await write(`${base}/${c.name}.previous.log`, previous);
      }
    }
  });

  if (options.cluster) {
    const { provider, name } = options.cluster;
    const target = join(dir, 'kind-logs');
    const exported = await attempt('kind logs', async () => {
      await provider.exportLogs(name, target, ctx);
      return true;
    });
    if (exported) files.push('kind-logs/');
  }

  const failed = options.failedStep;
  if (failed?.output) await write('failed-step.log', formatOutput(failed.output));
  if (failed?.error !== undefined) await write('failed-step.error.txt', errorChain(failed.error));
  if (options.plan !== undefined) await write('plan.json', json(options.plan));
  if (options.trace !== undefined) await write('trace.json', json(options.trace));

  const findings = diagnose({
    pods,
    events,
    nodes,
    previousLogs,
    ...(failed ? { failedStep: failed } : {}),
  });
  await write(
    'findings.txt',
    findings.length === 0
      ? 'No known cause was recognised; read the files beside this one.'
      : findings
          .map((f) => [`${f.subject}: ${f.summary}`, ...f.details.map((d) => `    ${d}`)].join('\n'))
          .join('\n'),
  );
  if (gaps.length > 0) await write('gaps.txt', gaps.map((g) => `${g.what}: ${g.reason}`).join('\n'));
  return { dir, findings, files, gaps };
}

/** The error's message and every cause's, with their codes: what a person needs when the message is not enough. */
function errorChain(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    const code = (e as { code?: unknown }).code;
    parts.push(
      `${depth === 0 ? '' : 'caused by: '}${e instanceof Error ? e.name : 'error'}${typeof code === 'string' ? ` [${code}]` : ''}: ${e instanceof Error ? e.message : String(e)}`,
    );
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join('\n');
}
