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
  /**
   * How long gathering may take in all (default 30 s): what is not collected by then is a gap, and a hung API server
   * costs at most this. Aborting `ctx.signal` stops it at once (and throws).
   */
  readonly deadlineMs?: number;
  /** kubectl's `--request-timeout` on every command (default 5 s): one unanswered request is not waited for longer. */
  readonly requestTimeoutMs?: number;
  readonly ctx?: OperationContext;
}

export const DIAGNOSTICS_DEADLINE_MS = 30_000;
export const DIAGNOSTICS_REQUEST_TIMEOUT_MS = 5_000;

/**
 * What kubectl prints when the API server does not answer in time (recorded from kubectl v1.32.4 against a server
 * that accepts connections and never answers, with `--request-timeout=2s`: "Unable to connect to the server: net/http:
 * request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)", or "…: context
 * deadline exceeded"; each command took 10–13 s, as kubectl retries discovery).
 */
const NO_ANSWER =
  /Unable to connect to the server|Client\.Timeout exceeded|context deadline exceeded|TLS handshake timeout|i\/o timeout/;

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

/** The error's message and, for a failed command, its stderr tail. */
function errorText(error: unknown): string {
  const tail = (error as { stderrTail?: unknown } | null)?.stderrTail;
  return [error instanceof Error ? error.message : String(error), ...(Array.isArray(tail) ? tail : [])].join(
    '\n',
  );
}

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
  const deadlineMs = options.deadlineMs ?? DIAGNOSTICS_DEADLINE_MS;
  const requestTimeoutMs = options.requestTimeoutMs ?? DIAGNOSTICS_REQUEST_TIMEOUT_MS;
  const outer = options.ctx?.signal;
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new Error(`diagnostics did not finish within ${deadlineMs} ms`)),
    deadlineMs,
  );
  const ctx: OperationContext = {
    ...options.ctx,
    signal: outer ? AbortSignal.any([outer, deadline.signal]) : deadline.signal,
    requestTimeoutMs,
  };
  try {
    return await gather(options, ctx, { deadlineMs, requestTimeoutMs, passed: deadline.signal });
  } finally {
    clearTimeout(timer);
  }
}

async function gather(
  options: GatherDiagnosticsOptions,
  ctx: OperationContext,
  limits: { readonly deadlineMs: number; readonly requestTimeoutMs: number; readonly passed: AbortSignal },
): Promise<DiagnosticsReport> {
  const { kube, namespace, dir } = options;
  const files: string[] = [];
  const gaps: DiagnosticsGap[] = [];
  /** The API server did not answer a request in time (or at all before the deadline). */
  let unanswered = false;
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
      if (options.ctx?.signal?.aborted) throw error;
      if (limits.passed.aborted) {
        gaps.push({
          what,
          reason: `not collected: the diagnostics deadline of ${limits.deadlineMs} ms passed`,
        });
        return undefined;
      }
      if (NO_ANSWER.test(errorText(error))) unanswered = true;
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

  // Reads against the cluster that never answered: the API server itself is what to look at.
  const silent =
    unanswered ||
    (limits.passed.aborted && pods === undefined && events === undefined && nodes === undefined);
  const findings = [
    ...(silent
      ? [
          {
            kind: 'api-server-unresponsive' as const,
            subject: 'API server',
            summary: `the API server did not answer (kubectl --request-timeout=${Math.ceil(limits.requestTimeoutMs / 1000)}s, diagnostics deadline ${Math.ceil(limits.deadlineMs / 1000)} s): the cluster's control plane is hung or overloaded, so nothing could be read from it`,
            details: gaps.map((g) => `${g.what}: ${g.reason}`).slice(0, 5),
          },
        ]
      : []),
    ...diagnose({
      pods,
      events,
      nodes,
      previousLogs,
      ...(failed ? { failedStep: failed } : {}),
    }),
  ];
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
