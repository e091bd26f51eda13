import type { CommandResult, CommandRunner, LogSink, RunOptions } from '@kubernaut-e2e/core';

/** The container engine kind drives (its "provider"). */
export type KindEngine = 'podman' | 'docker';

/** How kind commands are run: shared by every function of this package that calls kind. */
export interface KindToolOptions {
  readonly runner: CommandRunner;
  readonly engine: KindEngine;
  /** The kind executable; `kind` on PATH by default. */
  readonly kindBinary?: string;
  readonly log?: LogSink;
  readonly logSource?: string;
  readonly signal?: AbortSignal;
}

/**
 * Runs `kind <args>` with the provider chosen explicitly. kind reads `KIND_EXPERIMENTAL_PROVIDER`
 * (`podman` or `docker`) and otherwise auto-detects, so setting it for both engines means a value
 * inherited from the user's shell can never send a podman run to docker or back.
 */
export function runKind(
  tool: KindToolOptions,
  args: readonly string[],
  extra: Pick<RunOptions, 'timeoutMs' | 'log' | 'logSource'> = {},
): Promise<CommandResult> {
  return tool.runner.run(tool.kindBinary ?? 'kind', args, {
    env: { KIND_EXPERIMENTAL_PROVIDER: tool.engine },
    ...runContext(tool, extra),
  });
}

/** Runs `<engine> exec <container> <command…>` (each word its own argv element). */
export function runInNode(
  tool: KindToolOptions,
  container: string,
  command: readonly string[],
): Promise<CommandResult> {
  return tool.runner.run(tool.engine, ['exec', container, ...command], runContext(tool, {}));
}

function runContext(
  tool: KindToolOptions,
  extra: Pick<RunOptions, 'timeoutMs' | 'log' | 'logSource'>,
): RunOptions {
  const log = extra.log ?? tool.log;
  const logSource = extra.logSource ?? tool.logSource;
  return {
    ...(log ? { log } : {}),
    ...(logSource ? { logSource } : {}),
    ...(tool.signal ? { signal: tool.signal } : {}),
    ...(extra.timeoutMs !== undefined ? { timeoutMs: extra.timeoutMs } : {}),
  };
}

/** kind names the first control-plane node container `<cluster>-control-plane`. */
export function controlPlaneContainer(clusterName: string): string {
  return `${clusterName}-control-plane`;
}

/** `--wait` takes a Go duration; whole seconds keep it exact and readable. */
export function goDuration(ms: number): string {
  return `${Math.ceil(ms / 1000)}s`;
}
