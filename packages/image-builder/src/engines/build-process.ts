import { setTimeout as sleep } from 'node:timers/promises';
import {
  CancelledError,
  CommandError,
  type CommandResult,
  type CommandRunner,
  formatArgv,
  type RunOptions,
  setExitAction,
} from '@kubernaut-e2e/core';
import { type ProcessTree, procTree } from './proc-tree.js';

/**
 * How a build is stopped when it is cancelled (a failing sibling, its timeout, SIGINT):
 *
 * - `interrupt-steps` (podman): podman itself is never signalled — killed while it commits, it leaves a
 *   half-written image that breaks every later `podman images`, and killed at any time it leaves its buildah
 *   working containers behind. Instead the processes of the RUN step in progress are killed. podman sees the
 *   step fail and cleans up as for any failed build (`--force-rm`: working containers removed), then exits.
 *   A step that is not a RUN (a COPY, the commit) runs to its end first; if it was the last, the build
 *   finishes and the caller removes its image like any other thing the cancelled run made.
 * - `terminate-client` (docker): the CLI is only a client; stopping it makes the daemon cancel the build and,
 *   with `--force-rm`, remove its container. The daemon's commits are not interrupted by a client going away: it
 *   finishes the step in progress and commits it, which the stopped client never prints. So the build is followed
 *   until the daemon has stopped building it (no container runs from its last image any more), and the images it
 *   committed meanwhile (children of that image) are reported as this build's ({@link LATE_COMMIT}).
 */
export type BuildStopPolicy = 'interrupt-steps' | 'terminate-client';

/** A build while it runs, as a ledger sees it. */
export interface RunningBuild {
  /** The build command's pid, when it could be found (Linux). */
  readonly pid: number | undefined;
  /** Its `/proc` start time, so a later process never mistakes a reused pid for it. */
  readonly startTime: string | undefined;
  /** Stops it by its policy and resolves once it has ended. */
  stop(reason: unknown): Promise<void>;
}

export interface BuildCommand {
  readonly runner: CommandRunner;
  readonly binary: string;
  readonly args: readonly string[];
  readonly policy: BuildStopPolicy;
  /** Log, log source and the cancelling signal of the build. */
  readonly options: RunOptions;
  readonly timeoutMs?: number;
  readonly tree?: ProcessTree;
  /**
   * How long an interrupted podman build may take to finish the step in progress and its own cleanup before
   * it is terminated anyway (a build hung inside podman must not hang the run forever). Default 10 min.
   */
  readonly windDownMs?: number;
  /** Told when the build runs and, with `undefined`, when it ended (the engine records it in its ledger). */
  readonly onRunning?: (build: RunningBuild | undefined) => void;
}

export const DEFAULT_WIND_DOWN_MS = 10 * 60_000;
/** How often an interrupted build is checked for a new RUN step to stop (a process check, not a test). */
const POLL_MS = 100;

function reasonText(reason: unknown): string {
  return reason instanceof Error ? `: ${reason.message}` : '';
}

/** Runs a build command and, when it is cancelled or times out, stops it by its {@link BuildStopPolicy}. */
export async function runBuildCommand(command: BuildCommand): Promise<CommandResult> {
  const { runner, binary, args, options } = command;
  const { signal, ...untilDone } = options;
  const tree = command.tree ?? procTree;
  const argv = [binary, ...args];
  const interrupts = command.policy === 'interrupt-steps' && tree.supported;
  if (signal?.aborted) {
    throw new CancelledError(`command \`${formatArgv(argv)}\` was cancelled${reasonText(signal.reason)}`, {
      cause: signal.reason,
    });
  }
  // Aborting this terminates the command the plain way (SIGTERM to its process group): always for a
  // client-only build (docker), for podman only when its pid is unknown or it did not wind down in time.
  const terminate = new AbortController();
  const started = Date.now();
  // docker's legacy builder names each step's container (`---> Running in <id>`) and says when it removed it.
  const steps = new StepContainers();
  const result = runner.run(binary, args, {
    ...untilDone,
    log: (line) => {
      steps.observe(line.text);
      untilDone.log?.(line);
    },
    signal: terminate.signal,
    // A client's timeout is the runner's own; podman's is handled below, without killing podman.
    ...(!interrupts && command.timeoutMs !== undefined ? { timeoutMs: command.timeoutMs } : {}),
  });
  result.catch(() => {});
  let ended = false;
  const ran = result.then(
    () => undefined,
    () => undefined,
  );
  // A client that went away leaves the daemon to finish on its own: the build has ended once the daemon is done too.
  const done = ran.then(async () => {
    if (
      interrupts ||
      (await result.then(
        () => true,
        () => false,
      ))
    )
      return;
    // A client that went away does not wait for the daemon to remove the step's container; remove it.
    await removeStepContainer(runner, binary, steps.running, untilDone, command.windDownMs);
    if (stopped !== undefined)
      await followDaemon(runner, binary, steps.lastImage, untilDone, command.windDownMs).catch(() => {});
  });
  void ran.then(() => {
    ended = true;
  });
  // A runner spawns at once (spawning is synchronous), so its pid is in the process table now — unless a runner in
  // front of the engine queues the command (a concurrency limit, a test's serializer): then it is looked up again
  // when the build is stopped. Deciding "no pid, stop it the plain way" at call time would SIGTERM podman once it
  // runs, mid-commit if it is committing: a half-written image and buildah working containers left behind.
  // At this process's exit (a second Ctrl-C, a test worker ending) podman must not get the SIGTERM every other
  // command's group gets: only its RUN step is stopped, and podman fails the step and cleans up after we are gone
  // (its output goes to files — the engine's `outputDir` — so our going does not kill it with SIGPIPE).
  const guardExit = (found: number | undefined) => {
    if (!interrupts || found === undefined) return;
    const leader = tree.executable(found);
    setExitAction(found, () => {
      for (const step of tree.descendants(found))
        if (step.executable !== undefined && step.executable !== leader) tree.signal(step.pid, 'SIGKILL');
    });
  };
  let pid = tree.supported ? tree.findChild(process.pid, argv) : undefined;
  guardExit(pid);
  const findPid = () => {
    if (pid === undefined && tree.supported && !ended) {
      pid = tree.findChild(process.pid, argv);
      guardExit(pid);
    }
    return pid;
  };

  // Without the pid (no /proc entry: a scripted runner, not spawned yet, or it exited already) the plain way is all
  // there is; not spawned yet, aborting keeps it from starting at all.
  let plain = !interrupts;
  let stopped: { kind: 'abort' | 'timeout'; reason: unknown; terminated: boolean } | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (kind: 'abort' | 'timeout', reason: unknown): Promise<void> => {
    stopped ??= { kind, reason, terminated: false };
    const state = stopped;
    stopping ??= (async () => {
      if (!plain && findPid() === undefined) plain = true;
      if (plain) {
        terminate.abort(reason);
        await done;
        return;
      }
      const leader = tree.executable(pid!);
      const deadline = Date.now() + (command.windDownMs ?? DEFAULT_WIND_DOWN_MS);
      while (!ended) {
        for (const step of tree.descendants(pid!)) {
          // podman's own re-executions (its rootless re-exec, the storage helpers that write layers during a
          // commit, the chroot helper) run podman's executable: only the step's programs are stopped.
          if (step.executable !== undefined && step.executable !== leader) tree.signal(step.pid, 'SIGKILL');
        }
        if (Date.now() >= deadline) {
          state.terminated = true;
          terminate.abort(reason);
          break;
        }
        await Promise.race([done, sleep(POLL_MS)]);
      }
      await done;
    })();
    return stopping;
  };

  const onAbort = () => void stop('abort', signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    interrupts && command.timeoutMs !== undefined && command.timeoutMs > 0
      ? setTimeout(() => void stop('timeout', undefined), command.timeoutMs)
      : undefined;
  command.onRunning?.({
    get pid() {
      return findPid();
    },
    get startTime() {
      const found = findPid();
      return found === undefined ? undefined : tree.startTime(found);
    },
    stop: (reason) => stop('abort', reason),
  });

  try {
    const value = await result.catch(async (error: unknown) => {
      await done;
      if (stopped === undefined) throw error;
      return error;
    });
    if (stopped === undefined) return value as CommandResult;
    await stopping;
    // Stopped the plain way by the runner: its own CancelledError says it all.
    if (plain && stopped.kind === 'abort' && value instanceof CancelledError) throw value;
    const tail = value instanceof CommandError ? value.stderrTail : [];
    const how = stopped.terminated
      ? `; it did not wind down within ${command.windDownMs ?? DEFAULT_WIND_DOWN_MS} ms and was terminated, which can leave working containers (\`${binary} ps -a --external\`)`
      : plain || value instanceof Error
        ? ''
        : '; it finished first, so its image is removed with the rest of what the run made';
    if (stopped.kind === 'timeout') {
      throw new CommandError(
        {
          argv,
          timedOut: true,
          durationMs: Date.now() - started,
          stderrTail: how ? [...tail, how.slice(2)] : tail,
        },
        { cause: value, transient: true },
      );
    }
    throw new CancelledError(
      `command \`${formatArgv(argv)}\` was cancelled${reasonText(stopped.reason)}${how}`,
      { cause: stopped.reason ?? value },
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    command.onRunning?.(undefined);
  }
}

/** Follows `---> Running in <id>` / `Removing intermediate container <id>` in docker's build output. */
class StepContainers {
  running: string | undefined;
  /** The image the build is at: the last ` ---> <id>` (its base, a reused or a committed step). */
  lastImage: string | undefined;

  observe(line: string): void {
    const image = /^\s*-{3}>\s+([0-9a-f]{12,64})\s*$/.exec(line);
    if (image) {
      this.lastImage = image[1];
      return;
    }
    const started = /^\s*-{3}>\s+Running in ([0-9a-f]{12,64})\s*$/.exec(line);
    if (started) {
      this.running = started[1];
      return;
    }
    const removed = /^Removing intermediate container ([0-9a-f]{12,64})\s*$/.exec(line);
    if (removed && removed[1] === this.running) this.running = undefined;
  }
}

/**
 * Removes the container of the step a stopped docker build was running (the daemon removes it too, some
 * time after the client went away — racing it, the build's images could not be removed while it exists),
 * then waits until it is gone. It is this build's own container: its ID came from this build's output.
 */
async function removeStepContainer(
  runner: CommandRunner,
  binary: string,
  id: string | undefined,
  options: RunOptions,
  windDownMs = DEFAULT_WIND_DOWN_MS,
): Promise<void> {
  if (id === undefined) return;
  // Quiet: "No such container" means the daemon was first, which is not the build's failure to report.
  const { signal: _cancelled, log: _quiet, ...rest } = options;
  const plain: RunOptions = { ...rest, log: () => {} };
  await runner.run(binary, ['rm', '--force', id], plain).catch(() => {
    // "No such container" (the daemon was first) or "removal already in progress": checked below.
  });
  const deadline = Date.now() + windDownMs;
  while (Date.now() < deadline) {
    const present = await runner.run(binary, ['container', 'inspect', '--format', '{{.Id}}', id], plain).then(
      () => true,
      () => false, // "No such container" — or the engine cannot tell: nothing more to wait for either way
    );
    if (!present) return;
    await sleep(POLL_MS);
  }
}

/**
 * The line a stopped docker build's output gets for each image the daemon committed after its client went away
 * (`CommittedImages` reads it: those images are the build's to remove).
 */
export const LATE_COMMIT = /^daemon committed ([0-9a-f]{12,64}) after the build's client stopped$/;

/**
 * Follows a docker build whose client was stopped until the daemon has stopped building it: no container runs from
 * the image the build was at (`ps --filter ancestor` also matches containers of the images committed after it),
 * then reports every image committed after it — its descendants, by each image's parent — oldest first, as
 * {@link LATE_COMMIT} lines. Bounded by `windDownMs`.
 */
async function followDaemon(
  runner: CommandRunner,
  binary: string,
  at: string | undefined,
  options: RunOptions,
  windDownMs = DEFAULT_WIND_DOWN_MS,
): Promise<void> {
  if (at === undefined) return;
  const { signal: _cancelled, log, ...rest } = options;
  const quiet: RunOptions = { ...rest, log: () => {} };
  const lines = async (args: string[]) =>
    (await runner.run(binary, args, quiet)).stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const deadline = Date.now() + windDownMs;
  while (Date.now() < deadline) {
    const building = await lines(['ps', '--all', '--quiet', '--no-trunc', '--filter', `ancestor=${at}`]);
    if (building.length === 0) break;
    await sleep(POLL_MS);
  }
  const all = await lines(['images', '--all', '--quiet', '--no-trunc']);
  if (all.length === 0) return;
  const parents = new Map<string, string>();
  for (const line of await lines(['image', 'inspect', '--format', '{{.Id}} {{.Parent}}', ...new Set(all)])) {
    const [id, parent] = line.split(' ').map(bare);
    if (id && parent) parents.set(id, parent);
  }
  const root = bare(at);
  const descends = (id: string): number => {
    let depth = 0;
    for (let p = parents.get(id); p !== undefined; p = parents.get(p)) {
      depth++;
      if (p.startsWith(root)) return depth;
    }
    return 0;
  };
  const late = [...parents.keys()]
    .map((id) => ({ id, depth: descends(id) }))
    .filter((i) => i.depth > 0)
    .sort((a, b) => a.depth - b.depth);
  for (const { id } of late)
    log?.({
      source: options.logSource ?? binary,
      stream: 'info',
      text: `daemon committed ${id} after the build's client stopped`,
      at: Date.now(),
    });
}

function bare(id: string): string {
  return id.replace(/^sha256:/, '');
}

/** A build recorded by a run that has died (from its ledger entry). */
export interface OrphanedBuild {
  readonly pid: number;
  readonly startTime?: string;
  readonly policy: BuildStopPolicy;
}

/**
 * Stops a build that outlived the run that started it (the run was killed with SIGKILL; the build runs in its
 * own process group and goes on). Same policy as for a live run: podman's RUN step is stopped so podman
 * cleans up itself; a docker client is terminated. Only while it is still the recorded process (same pid and
 * start time). Resolves once it has ended.
 */
export async function stopOrphanedBuild(
  build: OrphanedBuild,
  tree: ProcessTree = procTree,
  windDownMs = DEFAULT_WIND_DOWN_MS,
): Promise<void> {
  const same = () =>
    tree.alive(build.pid) && (build.startTime === undefined || tree.startTime(build.pid) === build.startTime);
  const terminateGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-build.pid, signal);
    } catch {
      tree.signal(build.pid, signal);
    }
  };
  const deadline = Date.now() + windDownMs;
  const leader = same() ? tree.executable(build.pid) : undefined;
  let terminated = false;
  while (same()) {
    if (build.policy === 'terminate-client' || !tree.supported || Date.now() >= deadline) {
      if (!terminated) terminateGroup('SIGTERM');
      terminated = true;
    } else {
      for (const step of tree.descendants(build.pid)) {
        if (step.executable !== undefined && step.executable !== leader) tree.signal(step.pid, 'SIGKILL');
      }
    }
    if (terminated && Date.now() >= deadline + 10_000) {
      terminateGroup('SIGKILL');
      break;
    }
    await sleep(POLL_MS);
  }
}
