import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { readRunFile } from './ledger-file.js';
import { processStartTime } from './process-identity.js';
import { RunLedger } from './run-ledger.js';
import { resolveStateDir } from './state-dir.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-state-test-'));
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

const runFile = (ledger: RunLedger) => join(stateDir, 'runs', `${ledger.runId}.json`);

describe('a persisted RunLedger', () => {
  it('writes <stateDir>/runs/<runId>.json on every record, with the owner pid, its start time and the service', async () => {
    const ledger = new RunLedger({ persist: { service: 'gateway', stateDir }, tempRoot: stateDir });
    expect(ledger.filePath).toBe(runFile(ledger));
    const dir = await ledger.tempDir('build');
    ledger.record({
      kind: 'image',
      name: 'localhost/kubernaut/gateway:e2e',
      dispose: async () => {},
      removeCommand: ['podman', 'rmi', '-f', 'localhost/kubernaut/gateway:e2e'],
      resource: { tool: 'podman', details: { binary: 'podman' } },
    });

    const run = readRunFile(runFile(ledger));
    expect(run).toMatchObject({
      version: 1,
      runId: ledger.runId,
      service: 'gateway',
      owner: { pid: process.pid, startTime: processStartTime(process.pid) },
    });
    expect(run.entries.map((e) => [e.kind, e.name, e.resource?.tool])).toEqual([
      ['temp-dir', dir, 'fs'],
      ['image', 'localhost/kubernaut/gateway:e2e', 'podman'],
    ]);
    expect(run.entries[1]?.removeCommand).toEqual(['podman', 'rmi', '-f', 'localhost/kubernaut/gateway:e2e']);
    // Written by rename: no temp file is ever left next to it.
    expect(readdirSync(join(stateDir, 'runs'))).toEqual([`${ledger.runId}.json`]);
    await ledger.cleanup();
  });

  it('keeps the file in step with release() and dispose(), and deletes it once cleanup left nothing', async () => {
    const ledger = new RunLedger({ persist: { service: 'gateway', stateDir } });
    const kept = ledger.record({ kind: 'cluster', name: 'gateway-e2e', dispose: async () => {} });
    const archive = ledger.record({ kind: 'file', name: '/tmp/a.tar', dispose: async () => {} });
    ledger.release(kept);
    expect(readRunFile(runFile(ledger)).entries.map((e) => e.name)).toEqual(['/tmp/a.tar']);
    await ledger.dispose(archive);
    expect(existsSync(runFile(ledger))).toBe(false);

    ledger.record({ kind: 'other', name: 'x', dispose: async () => {} });
    expect(existsSync(runFile(ledger))).toBe(true);
    const report = await ledger.cleanup();
    expect(report.failed).toEqual([]);
    expect(existsSync(runFile(ledger))).toBe(false);
  });

  it('after a cleanup that left something, the file lists only that, for `down` to retry', async () => {
    const ledger = new RunLedger({ persist: { service: 'gateway', stateDir } });
    ledger.record({ kind: 'temp-dir', name: '/tmp/gone', dispose: async () => {} });
    ledger.record({
      kind: 'image',
      name: 'localhost/busy:1',
      dispose: async () => {
        throw new Error('image is in use by a container');
      },
      removeCommand: ['podman', 'rmi', '-f', 'localhost/busy:1'],
      resource: { tool: 'podman' },
    });
    ledger.record({ kind: 'cluster', name: 'kept', dispose: async () => {} });
    const report = await ledger.cleanup({ keepKinds: ['cluster'] });
    expect(report.failed.map((f) => f.name)).toEqual(['localhost/busy:1']);
    const run = readRunFile(runFile(ledger));
    expect(run.entries.map((e) => [e.kind, e.name, e.removeCommand])).toEqual([
      ['image', 'localhost/busy:1', ['podman', 'rmi', '-f', 'localhost/busy:1']],
    ]);
  });

  it('refuses a state directory it cannot write, naming the variable to change', () => {
    if (process.getuid?.() === 0) {
      // root writes through permissions: make the path impossible instead (a file where a directory must be).
      const blocker = join(stateDir, 'file');
      writeFileSync(blocker, '');
      const error = (() => {
        try {
          new RunLedger({ persist: { service: 'gateway', env: { KUBERNAUT_E2E_STATE_DIR: blocker } } });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]?.path).toBe('KUBERNAUT_E2E_STATE_DIR');
      expect((error as Error).message).toContain(join(blocker, 'runs'));
      return;
    }
    const locked = join(stateDir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    expect(() => new RunLedger({ persist: { service: 'gateway', stateDir: locked } })).toThrow(
      /cannot keep the run ledger/,
    );
  });

  it('a ledger without persist writes nothing', async () => {
    const ledger = new RunLedger();
    ledger.record({ kind: 'other', name: 'x', dispose: async () => {} });
    expect(ledger.filePath).toBeUndefined();
    await ledger.cleanup();
  });

  it('writes the file readable by its owner only', () => {
    const ledger = new RunLedger({ persist: { service: 'gateway', stateDir } });
    ledger.record({ kind: 'other', name: 'x', dispose: async () => {} });
    expect(readFileSync(runFile(ledger), 'utf8')).toContain('"runId"');
    expect(statSync(runFile(ledger)).mode & 0o777).toBe(0o600);
    expect(statSync(join(stateDir, 'runs')).mode & 0o777).toBe(0o700);
  });
});

describe('resolveStateDir', () => {
  it('prefers KUBERNAUT_E2E_STATE_DIR, then $XDG_STATE_HOME/kubernaut-e2e, then ~/.local/state/kubernaut-e2e', () => {
    expect(resolveStateDir({ KUBERNAUT_E2E_STATE_DIR: '/s', XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/s');
    expect(resolveStateDir({ XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/x/kubernaut-e2e');
    expect(resolveStateDir({ HOME: '/h' })).toBe('/h/.local/state/kubernaut-e2e');
    expect(resolveStateDir({})).toBe(join(homedir(), '.local/state/kubernaut-e2e'));
  });

  it('ignores a relative XDG_STATE_HOME (the XDG spec says so) and refuses a relative override', () => {
    expect(resolveStateDir({ XDG_STATE_HOME: 'rel', HOME: '/h' })).toBe('/h/.local/state/kubernaut-e2e');
    expect(() => resolveStateDir({ KUBERNAUT_E2E_STATE_DIR: 'state' })).toThrow(/must be an absolute path/);
  });
});
