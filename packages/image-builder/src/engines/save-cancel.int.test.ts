import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledError, createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { type PrivatePodmanStore, startPrivatePodmanStore, withEnv } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPodmanEngine } from './podman-engine.js';

/*
 * A real `podman save` cancelled while it copies a layer (as a load is when a sibling step fails, or on Ctrl-C):
 * podman writes each layer to a file in $TMPDIR first, and stopped mid-copy it never removes that file — hundreds
 * of megabytes in /var/tmp on a developer's machine. The engine's save must leave nothing in the user's TMPDIR.
 * The image has one big layer (zeros, so the tar is quick to make) so that the copy is seen while it runs.
 */
describeWithBinaries(['podman', 'tar'], { podman: 'podman', tar: 'tar' }, () => {
  const nonce = randomBytes(5).toString('hex');
  const image = `localhost/kubernaut-e2e-test/big-layer:${nonce}`;
  let store: PrivatePodmanStore;
  let root: string;

  beforeAll(async () => {
    store = await startPrivatePodmanStore(createCommandRunner());
    root = await mkdtemp(join(tmpdir(), 'kubernaut-save-cancel-int-'));
    const rootfs = join(root, 'rootfs');
    await mkdir(rootfs);
    await writeFile(join(rootfs, 'big'), Buffer.alloc(384 * 1024 * 1024));
    await store.runner.run('tar', ['-C', rootfs, '-cf', join(root, 'rootfs.tar'), '.']);
    await rm(rootfs, { recursive: true });
    await store.runner.run('podman', ['import', join(root, 'rootfs.tar'), image]);
    await rm(join(root, 'rootfs.tar'));
  }, 120_000);

  afterAll(async () => {
    await store?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** A file named by digits only anywhere under `dir`: containers/image's copy of a layer. */
  function layerCopyIn(dir: string): string | undefined {
    const names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    return names.find((name) => /(^|\/)\d+$/.test(name));
  }

  it('a save cancelled mid-copy leaves no layer copy in TMPDIR, and its private TMPDIR leaves the ledger', async () => {
    const userTmp = join(root, 'tmp');
    const out = join(root, 'out');
    await mkdir(userTmp);
    await mkdir(out);
    const ledger = new RunLedger();
    // TMPDIR as the user's shell would give it to every command, and as the engine reads it.
    const engine = createPodmanEngine(withEnv(store.runner, { TMPDIR: userTmp }), {
      ledger,
      env: { TMPDIR: userTmp },
    });
    const cancel = new AbortController();
    const saving = engine.save([image], join(out, 'images.tar'), { signal: cancel.signal });
    saving.catch(() => {});

    let copy: string | undefined;
    for (const deadline = Date.now() + 60_000; !copy && Date.now() < deadline; await sleep(5)) {
      copy = layerCopyIn(userTmp);
    }
    expect(copy, 'podman copied the layer into a file in TMPDIR').toBeDefined();
    const scratch = ledger.entries.filter((e) => e.kind === 'temp-dir').map((e) => e.name);
    expect(scratch).toHaveLength(1);
    expect(join(userTmp, copy!).startsWith(`${scratch[0]}/`)).toBe(true);

    cancel.abort(new Error('a sibling step failed'));
    await expect(saving).rejects.toBeInstanceOf(CancelledError);
    expect(await readdir(userTmp)).toEqual([]);
    expect(ledger.entries).toEqual([]);
  }, 120_000);
});
