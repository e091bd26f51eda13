/**
 * Process-group bookkeeping. Every command is spawned detached, i.e. as the leader of its own process
 * group, so that cancelling it can signal the whole tree (`kill(-pgid)`) — `kind create cluster` and
 * `podman build` start helpers that would otherwise outlive a cancelled run.
 *
 * The flip side of detaching: a terminal's Ctrl-C no longer reaches the children, and Node does not kill
 * them when it exits. So live groups are tracked here and sent SIGTERM when this process exits
 * (`installSignalCleanup` turns SIGINT/SIGTERM into an orderly exit, which triggers this).
 */

const liveGroups = new Set<number>();
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
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of liveGroups) signalGroup(group, 'SIGTERM');
    });
  }
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}
