import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandRunner } from '../runner/create-command-runner.js';
import { CHILD_PROCESS_TIMEOUT_MS, killQuietly, waitUntilDead } from '../testing-internal/processes.js';
import { CORE_SOURCE, TYPESCRIPT_NODE_ARGS } from '../testing-internal/typescript-child.js';
import { type PersistedRun, readRunFile, writeRunFile } from './ledger-file.js';
import { cleanupOrphanedRun, findOrphanedRuns, type OrphanRemover } from './orphans.js';
import { processIdentity } from './process-identity.js';
import { RunLedger } from './run-ledger.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-orphans-test-'));
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

/** The pid of a process that has exited (and was reaped): nobody owns a run with it. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return child.pid!;
}

function writeRun(runId: string, owner: PersistedRun['owner'], entries: PersistedRun['entries'] = []): void {
  writeRunFile(join(stateDir, 'runs'), {
    version: 1,
    runId,
    service: 'gateway',
    owner,
    startedAt: '2026-11-27T18:00:00.000Z',
    entries,
  });
}

const entry = (id: number, kind: PersistedRun['entries'][number]['kind'], name: string, extra = {}) => ({
  id,
  kind,
  name,
  recordedAt: '2026-11-27T18:00:01.000Z',
  ...extra,
});

describe('findOrphanedRuns', () => {
  it('tells runs whose owner is dead from live ones, and never mistakes a reused pid for the owner', () => {
    const me = processIdentity();
    writeRun('live', me);
    writeRun('dead', { pid: deadPid(), startTime: '1', hostname: hostname() });
    // Same pid as this process, other start time: the owner died and its pid was given to us.
    writeRun('reused-pid', { ...me, startTime: '1' });
    writeRun('earlier-boot', { ...me, bootId: 'another-boot' });
    writeRun('other-host', { pid: 1, hostname: `not-${hostname()}` });
    mkdirSync(join(stateDir, 'runs'), { recursive: true });
    writeFileSync(join(stateDir, 'runs', 'garbled.json'), '{ "version": 1');

    const found = findOrphanedRuns(stateDir);
    expect(found.orphans.map((o) => o.run.runId)).toEqual(['dead', 'earlier-boot', 'reused-pid']);
    expect(found.active.map((r) => r.runId)).toEqual(['live']);
    expect(found.unreadable.map((u) => u.path)).toEqual([join(stateDir, 'runs', 'garbled.json')]);
    expect(found.unreadable[0]?.error.message).toContain('not valid JSON');
  });

  it('finds nothing when no run ever wrote a ledger', () => {
    expect(findOrphanedRuns(join(stateDir, 'never-used'))).toEqual({
      orphans: [],
      active: [],
      unreadable: [],
    });
  });
});

describe('cleanupOrphanedRun', () => {
  it('removes what the dead run recorded with the given removers, checks it is gone, and deletes its file', async () => {
    const dir = join(stateDir, 'kubernaut-e2e-build-x');
    mkdirSync(dir);
    writeFileSync(join(dir, 'gateway.tar'), 'tar');
    const images = new Set(['localhost/kubernaut/gateway:e2e']);
    const removed: string[] = [];
    const podman: OrphanRemover = {
      remove: async (e) => {
        removed.push(e.name);
        images.delete(e.name);
      },
      exists: async (e) => images.has(e.name),
    };
    writeRun('dead', { pid: deadPid(), startTime: '1', hostname: hostname() }, [
      entry(1, 'temp-dir', dir, { resource: { tool: 'fs' } }),
      entry(2, 'image', 'localhost/kubernaut/gateway:e2e', { resource: { tool: 'podman' } }),
    ]);
    const [orphan] = findOrphanedRuns(stateDir).orphans;

    const report = await cleanupOrphanedRun(orphan!, { removers: { podman } });
    expect(report?.disposed).toEqual(['localhost/kubernaut/gateway:e2e', dir]);
    expect(report?.failed).toEqual([]);
    expect(removed).toEqual(['localhost/kubernaut/gateway:e2e']);
    expect(existsSync(dir)).toBe(false);
    expect(findOrphanedRuns(stateDir)).toEqual({ orphans: [], active: [], unreadable: [] });
  });

  it('lists what it cannot remove with the recorded command, and keeps it in a file this process now owns', async () => {
    writeRun('dead', { pid: deadPid(), startTime: '1', hostname: hostname() }, [
      entry(1, 'cluster', 'gateway-e2e', {
        resource: { tool: 'kind' },
        removeCommand: ['kind', 'delete', 'cluster', '--name', 'gateway-e2e'],
      }),
      entry(2, 'other', 'port-forward'),
    ]);
    const [orphan] = findOrphanedRuns(stateDir).orphans;
    const report = await cleanupOrphanedRun(orphan!, {});
    expect(report?.left).toEqual([
      { kind: 'other', name: 'port-forward', reason: 'the run did not record how to remove it' },
      {
        kind: 'cluster',
        name: 'gateway-e2e',
        reason: 'no remover for kind resources was given',
        removeCommand: ['kind', 'delete', 'cluster', '--name', 'gateway-e2e'],
      },
    ]);
    const rewritten = readRunFile(orphan!.path);
    expect(rewritten.owner.pid).toBe(process.pid);
    expect(rewritten.entries.map((e) => e.name).sort()).toEqual(['gateway-e2e', 'port-forward']);
    // Owned by a live process now: not an orphan for a concurrent `status` while this one works on it.
    expect(findOrphanedRuns(stateDir).orphans).toEqual([]);
  });

  it('spares the kinds it is told to keep', async () => {
    writeRun('dead', { pid: deadPid(), startTime: '1', hostname: hostname() }, [
      entry(1, 'cluster', 'gateway-e2e', { resource: { tool: 'kind' } }),
    ]);
    const [orphan] = findOrphanedRuns(stateDir).orphans;
    const report = await cleanupOrphanedRun(orphan!, { keepKinds: ['cluster'] });
    expect(report?.kept).toEqual([{ kind: 'cluster', name: 'gateway-e2e' }]);
  });

  it('cleans a run once when two processes race for it: the second finds it claimed', async () => {
    writeRun('dead', { pid: deadPid(), startTime: '1', hostname: hostname() }, []);
    const [orphan] = findOrphanedRuns(stateDir).orphans;
    const first = await cleanupOrphanedRun(orphan!);
    const second = await cleanupOrphanedRun(orphan!);
    expect(first).toBeDefined();
    expect(second).toBeUndefined();
  });
});

describe('a run killed with SIGKILL (real child process)', () => {
  it(
    'leaves its ledger on disk; findOrphanedRuns finds it and cleanupOrphanedRun removes all it recorded',
    async () => {
      const script = `
        import { writeFile } from 'node:fs/promises';
        import { join } from 'node:path';
        const core = await import(${JSON.stringify(CORE_SOURCE)});
        const ledger = new core.RunLedger({
          persist: { service: 'gateway', stateDir: ${JSON.stringify(stateDir)} },
          tempRoot: ${JSON.stringify(stateDir)},
        });
        const dir = await ledger.tempDir('orphan-build');
        await writeFile(join(dir, 'gateway.tar'), 'tar');
        // A detached helper, like a build or a port-forward: it outlives its killed owner.
        const helper = core.createCommandRunner().start(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
        ledger.record({ kind: 'process', name: 'helper', dispose: () => helper.stop(), resource: core.processResource(helper.pid) });
        ledger.record({
          kind: 'image', name: 'localhost/kubernaut/gateway:orphan', dispose: async () => {},
          resource: { tool: 'test-engine' }, removeCommand: ['podman', 'rmi', '-f', 'localhost/kubernaut/gateway:orphan'],
        });
        console.log('ready ' + JSON.stringify({ dir, helper: helper.pid, runId: ledger.runId }));
        setInterval(() => {}, 1000);
      `;
      const child = createCommandRunner().start(process.execPath, [
        ...TYPESCRIPT_NODE_ARGS,
        '--input-type=module',
        '-e',
        script,
      ]);
      let helper: number | undefined;
      try {
        const ready = await child.waitForLine(/^ready /, CHILD_PROCESS_TIMEOUT_MS);
        const created = JSON.parse(ready.slice('ready '.length)) as {
          dir: string;
          helper: number;
          runId: string;
        };
        helper = created.helper;
        expect(findOrphanedRuns(stateDir).active.map((r) => r.runId)).toEqual([created.runId]);

        process.kill(child.pid!, 'SIGKILL');
        await child.done.catch(() => {});
        expect(await waitUntilDead(child.pid!)).toBe(true);

        // Nothing ran its cleanup: the temp dir and the helper are still there, and the run is an orphan.
        expect(existsSync(created.dir)).toBe(true);
        const { orphans } = findOrphanedRuns(stateDir);
        expect(orphans.map((o) => [o.run.runId, o.run.service])).toEqual([[created.runId, 'gateway']]);
        expect(orphans[0]?.run.entries.map((e) => e.kind)).toEqual(['temp-dir', 'process', 'image']);

        const images = new Set(['localhost/kubernaut/gateway:orphan']);
        const report = await cleanupOrphanedRun(orphans[0]!, {
          removers: {
            'test-engine': {
              remove: async (e) => void images.delete(e.name),
              exists: async (e) => images.has(e.name),
            },
          },
        });
        expect(report?.failed).toEqual([]);
        expect(report?.disposed).toEqual(['helper', 'localhost/kubernaut/gateway:orphan', created.dir]);
        expect(existsSync(created.dir)).toBe(false);
        expect(images.size).toBe(0);
        expect(await waitUntilDead(created.helper)).toBe(true);
        expect(findOrphanedRuns(stateDir)).toEqual({ orphans: [], active: [], unreadable: [] });
      } finally {
        await child.stop();
        killQuietly(helper);
      }
    },
    CHILD_PROCESS_TIMEOUT_MS,
  );
});

describe('RunLedger and cleanupOrphanedRun share one truth', () => {
  it('a ledger that cleaned up completely leaves no file to find', async () => {
    const ledger = new RunLedger({ persist: { service: 'gateway', stateDir } });
    ledger.record({ kind: 'other', name: 'x', dispose: async () => {} });
    expect(findOrphanedRuns(stateDir).active).toHaveLength(1);
    await ledger.cleanup();
    expect(findOrphanedRuns(stateDir)).toEqual({ orphans: [], active: [], unreadable: [] });
  });
});
