import { existsSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import type { LogLine } from '../ports/log-sink.js';
import { formatCleanupReport } from './cleanup-report.js';
import { type LedgerKind, RunLedger } from './run-ledger.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-ledger-test-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Records a fake resource whose disposal is logged into `order` (and optionally fails). */
function fake(ledger: RunLedger, order: string[], name: string, kind: LedgerKind = 'other', fails = false) {
  return ledger.record({
    kind,
    name,
    dispose: async () => {
      order.push(name);
      if (fails) throw new Error(`${name} is busy`);
    },
  });
}

describe('RunLedger', () => {
  it('creates private, uniquely named temp dirs under the temp root and removes them on cleanup', async () => {
    const ledger = new RunLedger({ tempRoot: root });
    const a = await ledger.tempDir('gateway');
    const b = await ledger.tempDir('gateway');
    expect(a).not.toBe(b);
    expect(dirname(a)).toBe(root);
    expect(basename(a)).toMatch(/^kubernaut-e2e-gateway-\w{6}$/);
    expect(statSync(a).mode & 0o777).toBe(0o700);
    writeFileSync(join(a, 'kubeconfig'), 'x');
    expect(ledger.entries.map((e) => e.kind)).toEqual(['temp-dir', 'temp-dir']);

    const report = await ledger.cleanup();
    expect(report.disposed).toEqual([b, a]);
    expect(existsSync(a)).toBe(false);
    expect(existsSync(b)).toBe(false);
  });

  it('uses os.tmpdir() by default', async () => {
    const ledger = new RunLedger();
    const dir = await ledger.tempDir('default');
    expect(dirname(dir)).toBe(tmpdir());
    await ledger.cleanup();
    expect(existsSync(dir)).toBe(false);
  });

  it('rejects a prefix that could escape or break the directory name', async () => {
    const ledger = new RunLedger({ tempRoot: root });
    await expect(ledger.tempDir('../etc')).rejects.toBeInstanceOf(ConfigError);
    await expect(ledger.tempDir('')).rejects.toThrow(/cannot name a temp directory/);
  });

  it('deletes tracked files', async () => {
    const ledger = new RunLedger();
    const file = join(root, 'gateway.tar');
    writeFileSync(file, 'archive');
    ledger.trackFile(file);
    expect((await ledger.cleanup()).disposed).toEqual([file]);
    expect(existsSync(file)).toBe(false);
  });

  it('disposes newest first, carries on past failures and reports each one', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    fake(ledger, order, 'tmp', 'temp-dir');
    fake(ledger, order, 'localhost/x:1', 'image', true);
    fake(ledger, order, 'gateway-e2e', 'cluster');
    const report = await ledger.cleanup();
    expect(order).toEqual(['gateway-e2e', 'localhost/x:1', 'tmp']);
    expect(report.disposed).toEqual(['gateway-e2e', 'tmp']);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ name: 'localhost/x:1', kind: 'image' });
    expect(report.failed[0]?.error.message).toBe('localhost/x:1 is busy');
    expect(ledger.entries).toEqual([]);
  });

  it('never throws, even for a disposal that throws synchronously or a non-Error', async () => {
    const ledger = new RunLedger();
    ledger.record({
      kind: 'other',
      name: 'sync-thrower',
      dispose: () => {
        throw new Error('boom');
      },
    });
    ledger.record({ kind: 'other', name: 'string-rejecter', dispose: () => Promise.reject('nope') });
    const report = await ledger.cleanup();
    expect(report.failed.map((f) => [f.name, f.error.message])).toEqual([
      ['string-rejecter', 'nope'],
      ['sync-thrower', 'boom'],
    ]);
  });

  it('reports a disposal that hangs as failed instead of hanging cleanup', async () => {
    const ledger = new RunLedger({ disposeTimeoutMs: 50 });
    const order: string[] = [];
    fake(ledger, order, 'first');
    ledger.record({ kind: 'cluster', name: 'stuck', dispose: () => new Promise(() => {}) });
    const report = await ledger.cleanup();
    expect(report.failed[0]?.error.message).toContain('did not finish within 50 ms');
    expect(report.disposed).toEqual(['first']);
  });

  it('is idempotent: a second cleanup disposes nothing again', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    fake(ledger, order, 'a');
    const first = await ledger.cleanup();
    const second = await ledger.cleanup();
    expect(order).toEqual(['a']);
    expect(second).toBe(first);
  });

  it('concurrent cleanups share one pass', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    fake(ledger, order, 'a');
    fake(ledger, order, 'b');
    await Promise.all([ledger.cleanup(), ledger.cleanup()]);
    expect(order).toEqual(['b', 'a']);
  });

  it('keeps the kinds it is told to keep and reports them', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    fake(ledger, order, 'gateway-e2e', 'cluster');
    fake(ledger, order, '/tmp/x.tar', 'file');
    const report = await ledger.cleanup({ keepKinds: ['cluster'] });
    expect(order).toEqual(['/tmp/x.tar']);
    expect(report.kept).toEqual([{ name: 'gateway-e2e', kind: 'cluster' }]);
  });

  it('release() forgets an entry without disposing it', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    const cluster = fake(ledger, order, 'kept-cluster', 'cluster');
    fake(ledger, order, 'tmp', 'temp-dir');
    ledger.release(cluster);
    expect(ledger.entries.map((e) => e.name)).toEqual(['tmp']);
    await ledger.cleanup();
    expect(order).toEqual(['tmp']);
  });

  it('dispose() removes one entry now; a failure is rethrown and the entry stays for cleanup', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    const archive = fake(ledger, order, 'archive.tar', 'file');
    const busy = fake(ledger, order, 'busy', 'image', true);
    await ledger.dispose(archive);
    expect(order).toEqual(['archive.tar']);
    await expect(ledger.dispose(busy)).rejects.toThrow('busy is busy');
    expect(ledger.entries.map((e) => e.name)).toEqual(['busy']);
    await ledger.dispose(archive); // already gone: nothing happens
    expect(order).toEqual(['archive.tar', 'busy']);
  });

  it('disposes a resource recorded after cleanup began right away, and cleanup waits for it', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    let release: () => void = () => {};
    ledger.record({
      kind: 'other',
      name: 'slow',
      dispose: () =>
        new Promise<void>((r) => {
          order.push('slow');
          release = r;
        }),
    });
    const cleanup = ledger.cleanup();
    expect(ledger.closed).toBe(true);
    // Wait for the state asserted (the late entry's disposal has run), not for a turn of the event loop.
    const lateDisposed = new Promise<void>((resolve) => {
      ledger.record({
        kind: 'image',
        name: 'late',
        dispose: async () => {
          order.push('late');
          resolve();
        },
      });
    });
    await lateDisposed;
    expect(order).toEqual(['slow', 'late']);
    release();
    await cleanup;
    expect(ledger.entries).toEqual([]);
  });

  it('logs what it removed, kept and failed', async () => {
    const lines: LogLine[] = [];
    const ledger = new RunLedger({ log: (l) => lines.push(l) });
    const order: string[] = [];
    fake(ledger, order, 'c', 'cluster');
    fake(ledger, order, 'f', 'file', true);
    fake(ledger, order, 'i', 'image');
    await ledger.cleanup({ keepKinds: ['cluster'] });
    const texts = lines.map((l) => l.text);
    expect(texts.slice(0, 3)).toEqual([
      'removed image i',
      'could not remove file f: f is busy',
      'keeping cluster c',
    ]);
    expect(texts[3]).toMatch(/^cleanup removed 1, failed 1, kept 1 in \d+ ms$/);
    expect(lines.every((l) => l.source === 'cleanup' && l.stream === 'info')).toBe(true);
  });

  it('counts a removal only once the resource is gone; what is still there is a failure, with its command', async () => {
    const ledger = new RunLedger();
    const images = new Set(['localhost/a:1', 'localhost/b:1']);
    for (const ref of images) {
      ledger.record({
        kind: 'image',
        name: ref,
        // b's removal "succeeds" but leaves the image (e.g. `rmi` only untagged one of its names).
        dispose: async () => {
          if (ref !== 'localhost/b:1') images.delete(ref);
        },
        exists: async () => images.has(ref),
        removeCommand: ['podman', 'rmi', '-f', ref],
      });
    }
    const report = await ledger.cleanup();
    expect(report.disposed).toEqual(['localhost/a:1']);
    expect(report.failed.map((f) => [f.name, f.error.message, f.removeCommand])).toEqual([
      ['localhost/b:1', 'still exists after its removal', ['podman', 'rmi', '-f', 'localhost/b:1']],
    ]);
    expect(report.left).toEqual([
      {
        kind: 'image',
        name: 'localhost/b:1',
        reason: 'still exists after its removal',
        removeCommand: ['podman', 'rmi', '-f', 'localhost/b:1'],
      },
    ]);
    expect(formatCleanupReport(report)).toEqual([
      'cleanup removed 1, failed 1, kept 0',
      'left image localhost/b:1 (still exists after its removal); remove it with: podman rmi -f localhost/b:1',
    ]);
  });

  it('does not remove again what is already gone (e.g. a cluster the finalizer deleted)', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    ledger.record({
      kind: 'cluster',
      name: 'gateway-e2e',
      dispose: async () => {
        order.push('kind delete cluster');
      },
      exists: async () => false,
    });
    const report = await ledger.cleanup();
    expect(order).toEqual([]);
    expect(report.disposed).toEqual(['gateway-e2e']);
  });

  it('counts a removal that threw as done when the thing is verifiably gone, and as failed when not', async () => {
    const lines: LogLine[] = [];
    const ledger = new RunLedger({ log: (l) => lines.push(l) });
    let present = true;
    ledger.record({
      kind: 'cluster',
      name: 'gone-anyway',
      dispose: async () => {
        present = false;
        throw new Error('kind delete exited 1');
      },
      exists: async () => present,
    });
    ledger.record({
      kind: 'image',
      name: 'unknown',
      dispose: async () => {
        throw new Error('engine down');
      },
      exists: async () => {
        throw new Error('engine down');
      },
      removeCommand: ['podman', 'rmi', '-f', 'unknown'],
    });
    const report = await ledger.cleanup();
    expect(report.disposed).toEqual(['gone-anyway']);
    expect(report.failed.map((f) => f.name)).toEqual(['unknown']);
    expect(lines.map((l) => l.text)).toContain(
      'could not remove image unknown: engine down; remove it with: podman rmi -f unknown',
    );
    expect(lines.map((l) => l.text)).toContain(
      'removed cluster gone-anyway (gone, although its removal reported: kind delete exited 1)',
    );
  });

  it('removes a resource recorded twice (by an adapter and by the scheduler) once', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    fake(ledger, order, 'gateway-e2e', 'cluster');
    fake(ledger, order, 'tmp', 'temp-dir');
    fake(ledger, order, 'gateway-e2e', 'cluster');
    const report = await ledger.cleanup();
    expect(order).toEqual(['gateway-e2e', 'tmp']);
    expect(report.disposed).toEqual(['gateway-e2e', 'tmp']);
  });

  it('when one entry for a resource fails, tries another for the same resource before reporting it', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    fake(ledger, order, 'gateway-e2e', 'cluster'); // knows how (e.g. the scheduler's entry)
    fake(ledger, order, 'gateway-e2e', 'cluster', true); // does not (e.g. an adapter's, without a remover)
    const report = await ledger.cleanup();
    expect(order).toEqual(['gateway-e2e', 'gateway-e2e']);
    expect(report.disposed).toEqual(['gateway-e2e']);
    expect(report.failed).toEqual([]);
  });

  it('stops processes before removing anything else (a build may still be creating images)', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    fake(ledger, order, 'podman build', 'process');
    fake(ledger, order, 'localhost/x:1', 'image');
    fake(ledger, order, 'kubectl port-forward', 'process');
    fake(ledger, order, 'tmp', 'temp-dir');
    await ledger.cleanup();
    expect(order).toEqual(['kubectl port-forward', 'podman build', 'tmp', 'localhost/x:1']);
  });

  it('forget(kind, name) drops every entry for a resource removed by other means', async () => {
    const ledger = new RunLedger();
    const order: string[] = [];
    fake(ledger, order, 'gateway-e2e', 'cluster');
    fake(ledger, order, 'gateway-e2e', 'cluster');
    fake(ledger, order, 'gateway-e2e', 'image');
    expect(ledger.forget('cluster', 'gateway-e2e')).toBe(2);
    await ledger.cleanup();
    expect(order).toEqual(['gateway-e2e']);
  });

  it('temp dirs it left behind are listed with the command that removes them', async () => {
    const ledger = new RunLedger({ tempRoot: root });
    const dir = await ledger.tempDir('left');
    const [entry] = ledger.entries;
    expect(entry?.removeCommand).toEqual(['rm', '-rf', '--', dir]);
    expect(await entry?.exists?.()).toBe(true);
    expect(entry?.resource).toEqual({ tool: 'fs' });
    await ledger.cleanup();
    expect(await entry?.exists?.()).toBe(false);
  });

  it('has a run id that can name a file and label an image, and refuses one that cannot', () => {
    expect(new RunLedger().runId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    expect(new RunLedger({ runId: 'ci-42' }).runId).toBe('ci-42');
    expect(() => new RunLedger({ runId: '../x' })).toThrow(ConfigError);
  });
});
