import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunLedger, tempDirRecord } from '@kubernaut-e2e/core';

/**
 * Where the engine's private directories go: `$TMPDIR`, else `/var/tmp` — where podman puts its layer copies when
 * nothing says otherwise (containers/image keeps big files off `/tmp`, which is often memory).
 */
export function privateDirParent(env: Readonly<Record<string, string | undefined>>): string {
  return env.TMPDIR || '/var/tmp';
}

/**
 * Runs `use` with a new private directory `<parent>/kubernaut-e2e-<purpose>-XXXXXX` for one command, and removes it
 * once `use` has settled (the command has exited), however it ended. While it exists it is in the run's ledger, so
 * a run killed outright has it removed by `down` like its other temp directories — after the command recorded
 * with it has been stopped, since a ledger stops processes first.
 */
export async function withPrivateDir<T>(
  parent: string,
  purpose: string,
  ledger: Pick<RunLedger, 'record' | 'release'> | undefined,
  use: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(parent, `kubernaut-e2e-${purpose}-`));
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
