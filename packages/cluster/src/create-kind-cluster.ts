import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  CancelledError,
  type Clock,
  type ClusterInfo,
  CommandError,
  ConfigError,
  clusterNameSchema,
  type LogLine,
  type LogSink,
} from '@kubernaut-e2e/core';
import { z } from 'zod';
import { parseWithFieldPaths } from './field-issues.js';
import { goDuration, type KindToolOptions, runKind } from './kind-cli.js';
import { renderKindConfig } from './kind-config.js';
import { type KindClusterConfig, kindClusterConfigSchema } from './kind-config-schema.js';
import {
  deleteKindCluster,
  kindClusterExists,
  listKindClusters,
  prepareCoverageDir,
  writeKindKubeconfig,
} from './kind-lifecycle.js';
import { assertWritableFilePath, restrictKubeconfig } from './kubeconfig-file.js';
import {
  KIND_TRANSIENT_SIGNATURES,
  matchTransientSignature,
  type TransientSignature,
} from './transient-signatures.js';

/**
 * The part of core's `RunLedger` this package uses (structural, so any ledger with these members fits).
 * Every temp directory and every cluster a run creates is recorded, so the run's cleanup removes
 * exactly those.
 */
export interface ClusterLedger {
  tempDir(prefix: string): Promise<string>;
  record(entry: {
    kind: 'cluster';
    name: string;
    dispose: () => Promise<void>;
    exists?: () => Promise<boolean>;
    removeCommand?: readonly string[];
    resource?: { tool: string; details?: Record<string, string> };
  }): unknown;
}

export interface CreateKindClusterOptions extends KindToolOptions {
  /** DNS-1123 label of at most 50 characters (kind appends `-control-plane` to node names). */
  readonly name: string;
  /** Where the cluster's kubeconfig goes (mode 0600); its directory must exist and be writable. */
  readonly kubeconfigPath: string;
  /** The kind `Cluster` config; one control-plane node on the pinned default image when omitted. */
  readonly config?: z.input<typeof kindClusterConfigSchema>;
  /** When a cluster of that name exists: `fail` (default), `reuse` it, or `recreate` it. */
  readonly ifExists?: 'fail' | 'reuse' | 'recreate';
  /** `--wait`: how long kind waits for the control plane to be ready; default 5 minutes. */
  readonly waitMs?: number;
  /** Kill `kind create` after this long; default `waitMs` + 10 minutes (image pull, node boot). */
  readonly timeoutMs?: number;
  /** Prepare `/coverdata` in the control-plane node after creation (see `coverageMount`). */
  readonly coverage?: boolean;
  readonly retry?: {
    /** 1–3; default 3. Only failures matching a known transient signature are retried. */
    readonly maxAttempts?: number;
    /** Pause before the second attempt, doubled before each later one; default 5 s. */
    readonly initialBackoffMs?: number;
  };
  /** Records the config's temp directory and the cluster (dispose = delete) for the run's cleanup. */
  readonly ledger?: ClusterLedger;
  /** Time source for backoff pauses and log stamps; the wall clock by default. */
  readonly clock?: Pick<Clock, 'now' | 'sleep'>;
  /** Signatures that make a failed attempt retryable; `KIND_TRANSIENT_SIGNATURES` by default. */
  readonly transientSignatures?: readonly TransientSignature[];
}

export interface KindClusterInfo extends ClusterInfo {
  /** Absolute path of the kubeconfig (mode 0600). */
  readonly kubeconfigPath: string;
  /** How many `kind create cluster` runs it took (0 when an existing cluster was reused). */
  readonly attempts: number;
}

/** The output and outcome of one `kind create cluster` run. */
export interface KindCreateAttempt {
  readonly attempt: number;
  readonly exitCode?: number;
  readonly timedOut: boolean;
  readonly output: string;
  /** The transient signature the output matched, when it matched one. */
  readonly transientSignature?: string;
}

/**
 * `kind create cluster` failed. `attempts` holds every run's output; the message carries all of it
 * too, so a CI log shows why each attempt failed, not only the last.
 */
export class KindCreateError extends CommandError {
  readonly attempts: readonly KindCreateAttempt[];

  constructor(
    clusterName: string,
    argv: readonly string[],
    attempts: readonly KindCreateAttempt[],
    cause: unknown,
  ) {
    const last = attempts[attempts.length - 1]!;
    const retried = attempts.length > 1;
    const advice = last.transientSignature
      ? `every attempt hit a known transient failure (${last.transientSignature}); check the container engine and its OCI runtime (e.g. crun ≥ 1.14.3) on this host`
      : 'this failure is not a known transient one, so it was not retried; read the output below, or re-run with `kind create cluster --retain` and `kind export logs` to inspect the nodes';
    const tail = attempts.flatMap((a) => [
      `── attempt ${a.attempt}/${attempts.length}${a.transientSignature ? ` (transient: ${a.transientSignature})` : ''} ──`,
      ...(a.output.trim() === '' ? ['(no output)'] : a.output.trimEnd().split('\n')),
    ]);
    super(
      {
        argv,
        ...(last.exitCode !== undefined ? { exitCode: last.exitCode } : {}),
        timedOut: last.timedOut,
        stderrTail: tail,
      },
      {
        cause,
        context: `creating kind cluster "${clusterName}" failed${retried ? ` after ${attempts.length} attempts` : ''}; ${advice}`,
      },
    );
    this.attempts = attempts;
  }
}

const MAX_ATTEMPTS = 3;

const createOptionsSchema = z.object({
  engine: z.enum(['podman', 'docker'], { message: "engine must be 'podman' or 'docker'" }),
  name: clusterNameSchema,
  kubeconfigPath: z.string().min(1, { message: 'kubeconfigPath must not be empty' }),
  config: kindClusterConfigSchema.prefault({}),
  ifExists: z.enum(['fail', 'reuse', 'recreate']).default('fail'),
  waitMs: z.number().int().min(1000).default(300_000),
  timeoutMs: z.number().int().min(1000).optional(),
  coverage: z.boolean().default(false),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(MAX_ATTEMPTS).default(MAX_ATTEMPTS),
      initialBackoffMs: z.number().int().min(0).default(5_000),
    })
    .prefault({}),
});

const wallClock: Pick<Clock, 'now' | 'sleep'> = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleepFor(ms, undefined, signal ? { signal } : {}),
};

/**
 * Creates a kind cluster from a typed config and writes its kubeconfig (mode 0600). Node images are
 * pinned per node in the config, so `--image` (which would override every node) is never passed.
 *
 * All input is checked first — name, config (ports, mounts, patches), the kubeconfig's directory, that
 * every `extraMounts` host path exists — and refused with a `ConfigError` before any command runs.
 * Then `kind get clusters` decides what `ifExists` means here; the config is written into the run's
 * temp directory; the cluster is recorded in the ledger before `kind create cluster` starts, so even
 * an interrupted creation is deleted by the run's cleanup (release the entry to keep the cluster).
 *
 * A failed attempt is retried (up to 3 attempts, exponential backoff) only when its output matches a
 * known transient signature; any other failure is raised at once as a `KindCreateError` holding every
 * attempt's output. (kind removes the nodes of a failed attempt itself, as `--retain` is not passed, so
 * a retry starts clean.)
 */
export async function createKindCluster(options: CreateKindClusterOptions): Promise<KindClusterInfo> {
  const subject = 'kind cluster options';
  const input = parseWithFieldPaths(createOptionsSchema, pickInput(options), subject);
  const kubeconfigPath = await assertWritableFilePath(input.kubeconfigPath, 'kubeconfigPath', subject);
  await assertMountSourcesExist(input.config, subject);

  const clock = options.clock ?? wallClock;
  const log = logger(options.log, options.logSource ?? `kind:${input.name}`, clock);
  const tool: KindToolOptions = {
    runner: options.runner,
    engine: options.engine,
    ...(options.kindBinary ? { kindBinary: options.kindBinary } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.logSource ? { logSource: options.logSource } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };

  if ((await listKindClusters(tool)).includes(input.name)) {
    if (input.ifExists === 'fail') {
      throw ConfigError.field(
        'ifExists',
        `a kind cluster named "${input.name}" already exists; pass ifExists: 'reuse' to use it, 'recreate' to replace it, or run \`kind delete cluster --name ${input.name}\``,
        subject,
      );
    }
    if (input.ifExists === 'reuse') {
      log(`reusing the existing kind cluster "${input.name}"`);
      await writeKindKubeconfig(input.name, kubeconfigPath, tool);
      if (input.coverage) await prepareCoverageDir(input.name, tool);
      return { name: input.name, kubeconfigPath, reused: true, attempts: 0 };
    }
    log(`deleting the existing kind cluster "${input.name}" to recreate it`);
    await deleteKindCluster(input.name, { ...tool, kubeconfigPath });
  }

  const { dir, release } = await configDirectory(options.ledger, input.name);
  try {
    const configPath = join(dir, 'kind-config.yaml');
    await writeFile(configPath, renderKindConfig(input.config));
    const { signal: _cancelled, ...untilDone } = tool;
    options.ledger?.record({
      kind: 'cluster',
      name: input.name,
      // Not bound to the run's signal: cleanup must still delete the cluster after a cancellation.
      dispose: () => deleteKindCluster(input.name, { ...untilDone, kubeconfigPath }),
      // Checked before counting it removed, printed when it is left, and enough for a later process to remove
      // it when this one is killed (`kubernaut-e2e status`/`down`).
      exists: () => kindClusterExists(input.name, untilDone),
      removeCommand: ['kind', 'delete', 'cluster', '--name', input.name, '--kubeconfig', kubeconfigPath],
      resource: { tool: 'kind', details: { kubeconfig: kubeconfigPath, engine: options.engine } },
    });

    const argv = [
      'create',
      'cluster',
      '--name',
      input.name,
      '--config',
      configPath,
      '--kubeconfig',
      kubeconfigPath,
      '--wait',
      goDuration(input.waitMs),
    ];
    const attempts = await createWithRetry(tool, argv, {
      clusterName: input.name,
      maxAttempts: input.retry.maxAttempts,
      initialBackoffMs: input.retry.initialBackoffMs,
      timeoutMs: input.timeoutMs ?? input.waitMs + 600_000,
      signatures: options.transientSignatures ?? KIND_TRANSIENT_SIGNATURES,
      clock,
      log,
      userLog: options.log,
      logSource: options.logSource ?? `kind:${input.name}`,
    });
    await restrictKubeconfig(kubeconfigPath, '`kind create cluster`');
    if (input.coverage) await prepareCoverageDir(input.name, tool);
    return { name: input.name, kubeconfigPath, reused: false, attempts };
  } finally {
    await release();
  }
}

function pickInput(options: CreateKindClusterOptions): Record<string, unknown> {
  const { engine, name, kubeconfigPath, config, ifExists, waitMs, timeoutMs, coverage, retry } = options;
  return Object.fromEntries(
    Object.entries({
      engine,
      name,
      kubeconfigPath,
      config,
      ifExists,
      waitMs,
      timeoutMs,
      coverage,
      retry,
    }).filter(([, v]) => v !== undefined),
  );
}

// The container engine refuses to start a node whose bind-mount source is missing, after the image
// pull and several seconds of work; checking first names the field instead.
async function assertMountSourcesExist(config: KindClusterConfig, subject: string): Promise<void> {
  const issues: { path: string; message: string }[] = [];
  for (const [i, node] of config.nodes.entries()) {
    for (const [j, mount] of (node.extraMounts ?? []).entries()) {
      if (!(await stat(mount.hostPath).catch(() => undefined))) {
        issues.push({
          path: `config.nodes[${i}].extraMounts[${j}].hostPath`,
          message: `host path ${mount.hostPath} does not exist; create it before creating the cluster`,
        });
      }
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject });
}

async function configDirectory(
  ledger: ClusterLedger | undefined,
  clusterName: string,
): Promise<{ dir: string; release: () => Promise<void> }> {
  if (ledger) return { dir: await ledger.tempDir(`kind-${clusterName}`), release: async () => {} };
  // Without a ledger nobody else would remove it: the config is only needed while kind reads it.
  const dir = await mkdtemp(join(tmpdir(), `kind-${clusterName}-`));
  return { dir, release: () => rm(dir, { recursive: true, force: true }) };
}

type InfoLog = (text: string) => void;

function logger(sink: LogSink | undefined, source: string, clock: Pick<Clock, 'now'>): InfoLog {
  return (text) => sink?.({ source, stream: 'info', text, at: clock.now() });
}

interface RetryPlan {
  readonly clusterName: string;
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly timeoutMs: number;
  readonly signatures: readonly TransientSignature[];
  readonly clock: Pick<Clock, 'now' | 'sleep'>;
  readonly log: InfoLog;
  readonly userLog: LogSink | undefined;
  readonly logSource: string;
}

async function createWithRetry(
  tool: KindToolOptions,
  args: readonly string[],
  plan: RetryPlan,
): Promise<number> {
  const attempts: KindCreateAttempt[] = [];
  for (let attempt = 1; ; attempt++) {
    const lines: string[] = [];
    // Tee the output: the user's log sees it live, and the attempt keeps it for the final error.
    const tee: LogSink = (line: LogLine) => {
      lines.push(line.text);
      plan.userLog?.(line);
    };
    try {
      await runKind(tool, args, {
        log: tee,
        logSource: `${plan.logSource}#${attempt}`,
        timeoutMs: plan.timeoutMs,
      });
      return attempt;
    } catch (error) {
      // A missing binary, a cancellation or anything else that is not a failed run is not retried.
      if (!(error instanceof CommandError)) throw error;
      const output = lines.length > 0 ? lines.join('\n') : error.stderrTail.join('\n');
      const signature = matchTransientSignature(`${output}\n${error.stderrTail.join('\n')}`, plan.signatures);
      attempts.push({
        attempt,
        ...(error.exitCode !== undefined ? { exitCode: error.exitCode } : {}),
        timedOut: error.timedOut,
        output,
        ...(signature ? { transientSignature: signature.id } : {}),
      });
      const argv = [tool.kindBinary ?? 'kind', ...args];
      if (!signature || attempt >= plan.maxAttempts || tool.signal?.aborted) {
        throw new KindCreateError(plan.clusterName, argv, attempts, error);
      }
      const backoffMs = plan.initialBackoffMs * 2 ** (attempt - 1);
      plan.log(
        `kind create cluster attempt ${attempt}/${plan.maxAttempts} hit a known transient failure (${signature.id}: ${signature.evidence}); retrying in ${backoffMs} ms`,
      );
      try {
        await plan.clock.sleep(backoffMs, tool.signal);
      } catch (sleepError) {
        throw new CancelledError(
          `creating kind cluster "${plan.clusterName}" was cancelled while waiting to retry`,
          {
            cause: sleepError,
          },
        );
      }
    }
  }
}
