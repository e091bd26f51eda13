import { readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Reads a recorded CLI output from `src/__fixtures__/`. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');
}

/** The environment every kind call must carry when the engine is podman. */
export const podmanEnv = { KIND_EXPERIMENTAL_PROVIDER: 'podman' } as const;

/** A scratch directory per test; `cleanup()` removes it (restoring permissions first). */
export async function scratchDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cluster-test-'));
  return {
    dir,
    cleanup: async () => {
      await chmod(dir, 0o700).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What kind does on success: writes the kubeconfig named by `--kubeconfig`, here with a wider mode
 * than 0600 so tests see that the caller tightens it. Synchronous: `respond()` hooks are.
 */
export function kindWritesKubeconfig(argv: readonly string[]): void {
  const at = argv.indexOf('--kubeconfig');
  if (at === -1) throw new Error(`no --kubeconfig in ${argv.join(' ')}`);
  writeFileSync(argv[at + 1]!, 'apiVersion: v1\nkind: Config\n', { mode: 0o644 });
}
