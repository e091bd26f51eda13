import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../io.js';
import { main } from '../main.js';
import { WORKSPACE_CONFIG } from '../testing-internal/workspace-config.js';

/*
 * `kubernaut-e2e dev` on the simulated toolchain with the real file watcher: a copy of the fixture project is edited
 * on disk, the command sees the edit, rebuilds and rolls, prints the cycle, and stops on an abort (Ctrl-C).
 */
const FIXTURE = resolve(import.meta.dirname, '../../../../services/fixture-project');
let root: string;
let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'kubernaut-dev-cli-'));
  root = join(cwd, 'project');
  cpSync(FIXTURE, root, { recursive: true });
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

/** Runs the command in-process; `until` resolves once stdout shows what a test waits for (no timers involved). */
function startDev(args: readonly string[]) {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const wake = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(stdout)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
      wake();
    },
    stderr: (text) => {
      stderr += text;
    },
    interactive: false,
    env: {},
    cwd,
  };
  const exit = main(
    ['dev', 'gateway', '--runtime', 'sim', '--project-root', root, '--config', WORKSPACE_CONFIG, ...args],
    io,
    controller.signal,
  );
  return {
    exit,
    interrupt: () => controller.abort(new Error('interrupted by SIGINT')),
    until: (pattern: RegExp) =>
      Promise.race([
        new Promise<void>((resolve) => {
          waiters.push({ pattern, resolve });
          wake();
        }),
        // If the command ends first, fail with what it printed instead of waiting for the test timeout.
        exit.then((code) => {
          throw new Error(`dev exited with ${code} before printing ${pattern}:\n${stdout}\n${stderr}`);
        }),
      ]),
    get stdout() {
      return stdout;
    },
  };
}

describe('kubernaut-e2e dev (simulated toolchain, real file watcher)', () => {
  it('rebuilds the edited image, rolls it, prints edit to ready, and stops on Ctrl-C applying --keep never', async () => {
    const dev = startDev(['--keep', 'never']);
    await dev.until(/Ctrl-C stops watching/);
    expect(dev.stdout).toContain('gateway infrastructure is ready. Watching 2 images for edits:');
    expect(dev.stdout).toMatch(/gateway\s+docker\/gateway\.Dockerfile ← cmd\/gateway/);
    expect(dev.stdout).toMatch(/datastorage\s+docker\/data-storage\.Dockerfile ← cmd\/datastorage/);
    expect(dev.stdout).toContain('predicted by the simulated toolchain');

    writeFileSync(join(root, 'cmd/gateway/README.txt'), 'the gateway, one line changed\n');
    await dev.until(/✔ cycle 1: /);
    expect(dev.stdout).toContain('↻ cycle 1: cmd/gateway/README.txt changed → rebuilding gateway\n');
    expect(dev.stdout).toMatch(
      /✔ cycle 1: gateway ready \d+m\d\ds after the edit \(build \S+ · load \S+ · roll \S+; rolled deployment\/gateway\)/,
    );

    dev.interrupt();
    expect(await dev.exit).toBe(0);
    expect(dev.stdout).toContain(
      'Stopped watching after 1 cycle. Simulated: nothing was created on this machine.',
    );
  });

  it('--json prints one object per line: watching, each cycle with its edit-to-ready time, stopped', async () => {
    const dev = startDev(['--json', '--debounce', '50']);
    await dev.until(/"type":"watching"/);
    writeFileSync(join(root, 'cmd/datastorage/README.txt'), 'datastorage changed\n');
    await dev.until(/"type":"cycle-finished"/);
    dev.interrupt();
    expect(await dev.exit).toBe(0);

    const lines = dev.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.type)).toEqual(['watching', 'cycle-started', 'cycle-finished', 'stopped']);
    const cycle = lines[2];
    expect(cycle).toMatchObject({
      cycle: 1,
      images: ['datastorage'],
      outcome: 'ready',
      rolled: ['deployment/datastorage'],
    });
    expect(cycle.phasesMs.wait).toBe(50);
    expect(cycle.editToReadyMs).toBe(cycle.finishedAt - cycle.firstEditAt);
    expect(lines[3]).toEqual({ type: 'stopped', cycles: 1, clusterKept: false });
  });

  it('refuses a bad --debounce before anything runs', async () => {
    const dev = startDev(['--debounce', 'soon']);
    expect(await dev.exit).toBe(2);
  });
});
