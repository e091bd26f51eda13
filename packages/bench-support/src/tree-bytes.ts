import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes of every regular file below `dir` (0 when it does not exist): a registry's blobs, a containerd's content
 * store, a build cache. Links are not followed; a file hard-linked twice counts twice.
 */
export async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await treeBytes(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}
