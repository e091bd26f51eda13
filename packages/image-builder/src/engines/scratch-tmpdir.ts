import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunLedger, tempDirRecord } from '@kubernaut-e2e/core';

/**
 * Where podman puts its layer copies when nothing says otherwise: `$TMPDIR`, else `/var/tmp` (containers/image
 * keeps big files off `/tmp`, which is often memory). The private directory goes in the same place.
 */
export function scratchParent(env: Readonly<Record<string, string | undefined>>): string {
  return env.TMPDIR || '/var/tmp';
}

/**
 * Runs `use` with a private directory to give the command as its `TMPDIR`, and removes that directory once the
 * command has ended, however it ended.
 *
 * Why: podman (containers/image) copies each layer out of its store into a file in `$TMPDIR` before it writes
 * the layer to an archive or a registry, and removes that file only when the copy completes. A `podman save` or
 * `push` stopped mid-copy (a failing sibling step, a timeout, Ctrl-C) leaves a file the size of the layer, named
 * by digits only, that nothing would ever remove. While the command runs the directory is in the run's ledger,
 * so a run killed outright has it removed by `down` like its other temp directories.
 */
export async function withScratchTmpdir<T>(
  parent: string,
  ledger: Pick<RunLedger, 'record' | 'release'> | undefined,
  use: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(parent, 'kubernaut-e2e-scratch-'));
  const entry = ledger?.record(tempDirRecord(dir));
  try {
    return await use(dir);
  } finally {
    // A directory that cannot be removed now stays in the ledger, whose cleanup tries again and reports it.
    const removed = await rm(dir, { recursive: true, force: true }).then(
      () => true,
      () => false,
    );
    if (entry && removed) ledger!.release(entry);
  }
}
