import {
  CommandError,
  type CommandRunner,
  ConfigError,
  type JsonPatchOperation,
  type KubeClient,
  type KubeClientFactory,
  type KubeLogOptions,
  type KubeObject,
  type KubeReadOptions,
  type LedgerEntry,
  type LedgerRecord,
  type LogSink,
  NotReadyError,
  type OperationContext,
  type PortForward,
  processResource,
  type ResourceRef,
  type RunOptions,
  TimeoutError,
} from '@kubernaut-e2e/core';
import { isNotReadyFailure, LastLines } from './kubectl-output.js';
import { FORWARDING_LINE, parseForwardingLine } from './port-forward-output.js';
import { renderManifests } from './render-manifests.js';

export interface KubectlClientOptions {
  readonly runner: CommandRunner;
  /** Kubeconfig of the cluster; passed to every command as `--kubeconfig`. */
  readonly kubeconfigPath: string;
  /** kubeconfig context; the file's current context when omitted. */
  readonly context?: string;
  /** Receives kubectl's output when the operation's context brings no sink of its own. */
  readonly log?: LogSink;
  /** kubectl binary; `kubectl` on PATH by default. */
  readonly kubectl?: string;
  /** Server-side apply field manager; `kubernaut-e2e` by default. */
  readonly fieldManager?: string;
  /**
   * Pass `--force-conflicts` to server-side apply (default true). kubernaut-e2e owns what it applies in its
   * disposable namespaces, and the Kubernetes docs say "it is strongly recommended for controllers to
   * always force conflicts on objects that they own and manage"
   * (https://kubernetes.io/docs/reference/using-api/server-side-apply/#using-server-side-apply-in-a-controller).
   * Without it, a re-run against a reused cluster after someone ran `kubectl edit` or a client-side
   * `kubectl apply` stops with "Apply failed with 1 conflict" instead of restoring the declared state.
   * Set false to be told about such conflicts instead.
   */
  readonly forceConflicts?: boolean;
  /** Kill apply/exec/patch after this long (kubectl hangs on an unreachable API server). Default 120 s. */
  readonly commandTimeoutMs?: number;
  /** How long `port-forward` may take to print its "Forwarding from" line. Default 30 s. */
  readonly portForwardReadyTimeoutMs?: number;
  /**
   * The run's ledger: every `port-forward` process is recorded while it runs, so a run killed with SIGKILL leaves it
   * listed (`status`) and stopped by `down` or the next setup, instead of a kubectl nobody knows about.
   */
  readonly ledger?: {
    record(record: LedgerRecord): LedgerEntry;
    release(entry: LedgerEntry): void;
  };
}

/** Extra time the runner gives kubectl beyond its own `--timeout`, so kubectl reports the timeout itself. */
const KUBECTL_TIMEOUT_GRACE_MS = 15_000;

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))}s`;
}

function selectorArgs(options: KubeReadOptions | undefined): string[] {
  return [
    ...(options?.namespace ? ['-n', options.namespace] : []),
    ...(options?.labelSelector ? ['-l', options.labelSelector] : []),
  ];
}

function parseJsonOutput(stdout: string, argv: readonly string[]): unknown {
  try {
    return JSON.parse(stdout);
  } catch (error) {
    throw new CommandError(
      { argv, exitCode: 0, timedOut: false, stderrTail: [stdout.slice(0, 200) || '(empty output)'] },
      { context: 'kubectl printed output that is not JSON', cause: error },
    );
  }
}

function requirePositive(value: number, field: string): void {
  if (!Number.isFinite(value) || value <= 0)
    throw ConfigError.field(field, `${field} must be a positive number of milliseconds, got ${value}`);
}

/**
 * The `KubeClient` port over the kubectl CLI. Every call is one kubectl command run through the
 * `CommandRunner` as an argv array; manifests go in on stdin as YAML rendered from objects.
 */
export function createKubectlClient(options: KubectlClientOptions): KubeClient {
  validateKubectlOptions(options);
  const k = kubectlCommands(options);
  return { ...kubectlWrites(k), ...kubectlWaits(k), ...kubectlReads(k), ...kubectlPortForward(k) };
}

/** Bad client options, before any command: the kubeconfig path is required, a context must not be blank. */
function validateKubectlOptions(options: KubectlClientOptions): void {
  if (!options.kubeconfigPath || options.kubeconfigPath.trim() === '')
    throw ConfigError.field(
      'kubeconfigPath',
      'a kubeconfig path is required (the file kind wrote for the cluster)',
      'kubectl client options',
    );
  if (options.context !== undefined && options.context.trim() === '')
    throw ConfigError.field(
      'context',
      'context must be a non-empty kubeconfig context name, or omitted',
      'kubectl client options',
    );
}

/** What every kubectl command of one client shares: the binary, the kubeconfig arguments and how a command runs. */
interface Kubectl {
  readonly options: KubectlClientOptions;
  readonly kubectl: string;
  readonly base: readonly string[];
  readonly fieldManager: string;
  readonly forceConflicts: boolean;
  readonly readyTimeoutMs: number;
  runOptions(ctx: OperationContext | undefined, extra: Partial<RunOptions>, capture?: LastLines): RunOptions;
  /** Runs one kubectl command (killed after the client's command timeout) and returns its stdout. */
  run(
    args: readonly string[],
    ctx: OperationContext | undefined,
    extra?: Partial<RunOptions>,
  ): Promise<string>;
  /** Runs a kubectl command that waits server-side; its timeout becomes a `NotReadyError`. */
  runWait(
    args: readonly string[],
    what: string,
    timeoutMs: number,
    ctx: OperationContext | undefined,
  ): Promise<void>;
}

function kubectlCommands(options: KubectlClientOptions): Kubectl {
  const kubectl = options.kubectl ?? 'kubectl';
  const fieldManager = options.fieldManager ?? 'kubernaut-e2e';
  const forceConflicts = options.forceConflicts ?? true;
  const commandTimeoutMs = options.commandTimeoutMs ?? 120_000;
  const readyTimeoutMs = options.portForwardReadyTimeoutMs ?? 30_000;
  const base = [
    '--kubeconfig',
    options.kubeconfigPath,
    ...(options.context ? ['--context', options.context] : []),
  ];

  function runOptions(
    ctx: OperationContext | undefined,
    extra: Partial<RunOptions>,
    capture?: LastLines,
  ): RunOptions {
    const sink = ctx?.log ?? options.log;
    const log: LogSink | undefined =
      capture || sink
        ? (line) => {
            if (line.stream !== 'info') capture?.push(line.text);
            sink?.(line);
          }
        : undefined;
    return {
      ...extra,
      ...(ctx?.signal ? { signal: ctx.signal } : {}),
      ...(log ? { log } : {}),
      logSource: ctx?.logSource ?? 'kubectl',
    };
  }

  /** `--request-timeout` when the operation asks for one (kubectl's own default is to wait forever). */
  function requestTimeoutArgs(ctx: OperationContext | undefined): string[] {
    const ms = ctx?.requestTimeoutMs;
    if (ms === undefined) return [];
    requirePositive(ms, 'requestTimeoutMs');
    return [`--request-timeout=${seconds(ms)}`];
  }

  async function run(
    args: readonly string[],
    ctx: OperationContext | undefined,
    extra: Partial<RunOptions> = {},
  ): Promise<string> {
    const result = await options.runner.run(
      kubectl,
      [...base, ...requestTimeoutArgs(ctx), ...args],
      runOptions(ctx, { timeoutMs: commandTimeoutMs, ...extra }),
    );
    return result.stdout;
  }

  async function runWait(
    args: readonly string[],
    what: string,
    timeoutMs: number,
    ctx: OperationContext | undefined,
  ): Promise<void> {
    const seen = new LastLines();
    try {
      await options.runner.run(
        kubectl,
        [...base, ...requestTimeoutArgs(ctx), ...args],
        runOptions(ctx, { timeoutMs: timeoutMs + KUBECTL_TIMEOUT_GRACE_MS }, seen),
      );
    } catch (error) {
      if (!isNotReadyFailure(error)) throw error;
      const lines = [...seen.lines.filter((l) => !error.stderrTail.includes(l)), ...error.stderrTail];
      throw new NotReadyError(what, lines.length > 0 ? lines.join(' | ') : 'kubectl printed nothing', {
        cause: error,
      });
    }
  }

  return { options, kubectl, base, fieldManager, forceConflicts, readyTimeoutMs, runOptions, run, runWait };
}

/** Commands that change the cluster: server-side apply, JSON patch, scale, exec. */
function kubectlWrites(k: Kubectl): Pick<KubeClient, 'apply' | 'patch' | 'scale' | 'exec'> {
  const { run, fieldManager, forceConflicts } = k;
  return {
    async apply(objects: readonly KubeObject[], ctx?: OperationContext): Promise<void> {
      // kubectl refuses an empty stream ("no objects passed to apply"); nothing to apply is not an error.
      if (objects.length === 0) return;
      await run(
        [
          'apply',
          '--server-side',
          `--field-manager=${fieldManager}`,
          ...(forceConflicts ? ['--force-conflicts'] : []),
          '-f',
          '-',
        ],
        ctx,
        { input: renderManifests(objects) },
      );
    },

    async patch(
      resource: ResourceRef,
      namespace: string | undefined,
      operations: readonly JsonPatchOperation[],
      ctx?: OperationContext,
      options?: { readonly subresource?: 'status' },
    ): Promise<void> {
      if (operations.length === 0)
        throw ConfigError.field('operations', 'a JSON patch needs at least one operation');
      await run(
        [
          'patch',
          resource,
          ...(namespace ? ['-n', namespace] : []),
          ...(options?.subresource ? [`--subresource=${options.subresource}`] : []),
          '--type=json',
          '-p',
          JSON.stringify(operations),
        ],
        ctx,
      );
    },

    async scale(
      resource: ResourceRef,
      namespace: string,
      replicas: number,
      ctx?: OperationContext,
    ): Promise<void> {
      if (!Number.isInteger(replicas) || replicas < 0)
        throw ConfigError.field('replicas', `replicas must be a non-negative integer, got ${replicas}`);
      await run(['scale', resource, '-n', namespace, `--replicas=${replicas}`], ctx);
    },

    async exec(
      namespace: string,
      target: ResourceRef,
      command: readonly string[],
      ctx?: OperationContext & { readonly container?: string },
    ): Promise<string> {
      if (command.length === 0)
        throw ConfigError.field('command', 'exec needs a command to run in the container');
      return run(
        ['exec', '-n', namespace, target, ...(ctx?.container ? ['-c', ctx.container] : []), '--', ...command],
        ctx,
      );
    },
  };
}

/** Commands that wait server-side (`rollout status`, `wait`), their deadline passed on to kubectl. */
function kubectlWaits(k: Kubectl): Pick<KubeClient, 'rolloutStatus' | 'waitFor' | 'waitDeleted'> {
  const { runWait } = k;
  return {
    async rolloutStatus(
      resource: ResourceRef,
      namespace: string,
      timeoutMs: number,
      ctx?: OperationContext,
    ): Promise<void> {
      requirePositive(timeoutMs, 'timeoutMs');
      await runWait(
        ['rollout', 'status', resource, '-n', namespace, `--timeout=${seconds(timeoutMs)}`],
        `rollout of ${resource} in namespace ${namespace}`,
        timeoutMs,
        ctx,
      );
    },

    async waitFor(
      resource: ResourceRef,
      condition: string,
      namespace: string | undefined,
      timeoutMs: number,
      ctx?: OperationContext,
    ): Promise<void> {
      requirePositive(timeoutMs, 'timeoutMs');
      if (!condition.trim())
        throw ConfigError.field(
          'condition',
          'a condition is required, e.g. "condition=Available" or "delete"',
        );
      await runWait(
        [
          'wait',
          `--for=${condition}`,
          resource,
          ...(namespace ? ['-n', namespace] : []),
          `--timeout=${seconds(timeoutMs)}`,
        ],
        `${resource}${namespace ? ` in namespace ${namespace}` : ''} (waiting for ${condition})`,
        timeoutMs,
        ctx,
      );
    },

    async waitDeleted(
      resource: string,
      selection: KubeReadOptions & { readonly namespace: string },
      timeoutMs: number,
      ctx?: OperationContext,
    ): Promise<void> {
      requirePositive(timeoutMs, 'timeoutMs');
      // With nothing left to select, `kubectl wait --for=delete` succeeds at once: kubectl's wait ignores
      // NotFound and an empty selection for this one condition (every other one fails "no matching resources").
      await runWait(
        ['wait', '--for=delete', resource, ...selectorArgs(selection), `--timeout=${seconds(timeoutMs)}`],
        `${resource}${selection.labelSelector ? ` (${selection.labelSelector})` : ''} in namespace ${selection.namespace} (waiting for deletion)`,
        timeoutMs,
        ctx,
      );
    },
  };
}

/** Commands that read: objects as JSON, `describe`, container logs. */
function kubectlReads(k: Kubectl): Pick<KubeClient, 'getJson' | 'describe' | 'logs'> {
  const { run, kubectl, base } = k;
  return {
    async getJson(resource: string, options?: KubeReadOptions, ctx?: OperationContext): Promise<unknown> {
      if (!resource.trim()) throw ConfigError.field('resource', 'a resource is required, e.g. "pods"');
      const args = ['get', resource, ...selectorArgs(options), '-o', 'json'];
      return parseJsonOutput(await run(args, ctx), [kubectl, ...base, ...args]);
    },

    async describe(
      resource: ResourceRef,
      namespace: string | undefined,
      ctx?: OperationContext,
    ): Promise<string> {
      if (!resource.trim()) throw ConfigError.field('resource', 'a resource is required, e.g. "pod/x"');
      return run(['describe', resource, ...(namespace ? ['-n', namespace] : [])], ctx);
    },

    async logs(
      namespace: string,
      pod: string,
      logOptions?: KubeLogOptions,
      ctx?: OperationContext,
    ): Promise<string> {
      const tail = logOptions?.tailLines;
      if (tail !== undefined && (!Number.isInteger(tail) || tail < 1))
        throw ConfigError.field('tailLines', `tailLines must be a positive integer, got ${tail}`);
      return run(
        [
          'logs',
          '-n',
          namespace,
          pod,
          ...(logOptions?.container ? ['-c', logOptions.container] : []),
          ...(logOptions?.previous ? ['--previous'] : []),
          ...(tail === undefined ? [] : [`--tail=${tail}`]),
        ],
        ctx,
      );
    },
  };
}

/** `port-forward` to a free local port, recorded in the run's ledger while it runs. */
function kubectlPortForward(k: Kubectl): Pick<KubeClient, 'portForward'> {
  const { options, kubectl, base, runOptions, readyTimeoutMs } = k;
  return {
    async portForward(
      namespace: string,
      target: ResourceRef,
      remotePort: number,
      ctx?: OperationContext,
    ): Promise<PortForward> {
      if (!Number.isInteger(remotePort) || remotePort < 1 || remotePort > 65535)
        throw ConfigError.field('remotePort', `remotePort must be an integer 1–65535, got ${remotePort}`);
      // `:<remote>` lets kubectl pick a free local port, so parallel runs never collide. `--address
      // 127.0.0.1` binds IPv4 only: the default ("localhost") also binds [::1], which fails noisily on
      // hosts without IPv6, and every caller connects to 127.0.0.1 anyway.
      const running = options.runner.start(
        kubectl,
        [...base, 'port-forward', '-n', namespace, target, `:${remotePort}`, '--address', '127.0.0.1'],
        runOptions(ctx, {}),
      );
      // Once forwarding, a later exit (pod restarted, close()) must not become an unhandled rejection.
      running.done.catch(() => {});
      const pid = running.pid;
      const entry =
        options.ledger && pid !== undefined
          ? options.ledger.record({
              kind: 'process',
              name: `kubectl port-forward -n ${namespace} ${target} (pid ${pid})`,
              dispose: () => running.stop(),
              resource: processResource(pid),
            })
          : undefined;
      const stop = async () => {
        await running.stop();
        if (entry) options.ledger?.release(entry);
      };
      let line: string;
      try {
        line = await running.waitForLine(FORWARDING_LINE, readyTimeoutMs);
      } catch (error) {
        await stop();
        if (error instanceof TimeoutError)
          throw new NotReadyError(
            `port-forward to ${target}:${remotePort} in namespace ${namespace}`,
            `kubectl printed no "Forwarding from" line within ${readyTimeoutMs} ms`,
            { cause: error },
          );
        throw error;
      }
      const parsed = parseForwardingLine(line);
      if (!parsed) {
        await stop();
        throw new NotReadyError(
          `port-forward to ${target}:${remotePort}`,
          `unexpected kubectl output: ${line}`,
        );
      }
      const close = stop;
      return { localPort: parsed.localPort, close, [Symbol.asyncDispose]: close } as PortForward &
        AsyncDisposable;
    },
  };
}

/**
 * A `KubeClientFactory` (kubeconfig path → client) with the other options fixed, for planners that
 * learn the kubeconfig only once the cluster step has run.
 */
export function kubectlClientFactory(
  options: Omit<KubectlClientOptions, 'kubeconfigPath'>,
): KubeClientFactory {
  return (kubeconfigPath) => createKubectlClient({ ...options, kubeconfigPath });
}
