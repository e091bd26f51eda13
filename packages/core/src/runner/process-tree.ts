/**
 * Process-group bookkeeping. Every command is spawned detached, i.e. as the leader of its own process
 * group, so that cancelling it can signal the whole tree (`kill(-pgid)`) — `kind create cluster` and
 * `podman build` start helpers that would otherwise outlive a cancelled run.
 *
 * The flip side of detaching: a terminal's Ctrl-C no longer reaches the children, and Node does not kill
 * them when it exits. So live groups are tracked here and sent SIGTERM when this process exits
 * (`installSignalCleanup` turns SIGINT/SIGTERM into an orderly exit, which triggers this).
 */

/** Live groups, each with what to do to it when this process exits (SIGTERM to the group unless told otherwise). */
const liveGroups = new Map<number, (() => void) | undefined>();
let exitHookInstalled = false;

/** Sends `signal` to every process of the group led by `pid`. Returns false when none is left. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM and friends: fall back to the leader alone rather than leaving it running.
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

export function trackGroup(pid: number): void {
  liveGroups.set(pid, undefined);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', runExitActions);
  }
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}

/**
 * Replaces what happens to a live command's process group when this process exits: `action` runs (synchronously, in
 * the exit handler) instead of SIGTERM to the group. A podman build uses it to stop only its RUN step — SIGTERM to
 * podman mid-commit leaves a half-written image and buildah working containers; stopped this way, podman fails the
 * step and cleans up by itself after this process is gone. Ignored for a group that is not (or no longer) live.
 */
export function setExitAction(pid: number, action: () => void): void {
  if (liveGroups.has(pid)) liveGroups.set(pid, action);
}

/** What the exit hook does: each live group's exit action, else SIGTERM to it. Exported for tests. */
export function runExitActions(): void {
  for (const [group, action] of liveGroups) {
    try {
      if (action) action();
      else signalGroup(group, 'SIGTERM');
    } catch {
      // exiting: nothing left to report to
    }
  }
}
