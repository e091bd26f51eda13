import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelledError,
  CommandError,
  createCommandRunner,
  type LogLine,
  runExitActions,
} from '@kubernaut-e2e/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningBuild, runBuildCommand, stopOrphanedBuild } from './build-process.js';
import { procTree } from './proc-tree.js';

/*
 * Real processes, no container engine: a stand-in for podman (node) that behaves like podman does where it
 * matters — a RUN step is a child process of another executable (`sleep`); when the step dies, podman
 * reports the failed step, removes its working container and exits 1; a commit happens in podman itself;
 * SIGTERM to podman kills it on the spot (podman 4.3 does no cleanup then). Each of those is written to a
 * file, so the tests assert what happened, never how long it took.
 */
const FAKE_PODMAN = `
  const { spawn } = require('node:child_process');
  const { existsSync, writeFileSync } = require('node:fs');
  const { join } = require('node:path');
  const [dir, mode] = process.argv.slice(1);
  let step;
  // Killed on the spot, as podman 4.3 is (its step dies with it). One handler, so no other event can come first.
  process.on('SIGTERM', () => {
    writeFileSync(join(dir, 'podman-got-sigterm'), '');
    step?.kill('SIGKILL');
    process.exit(143);
  });
  if (mode === 'commit') {
    console.log('COMMIT localhost/x:1');
    const wait = setInterval(() => {
      if (!existsSync(join(dir, 'proceed'))) return;
      clearInterval(wait);
      writeFileSync(join(dir, 'image'), 'complete image');
      console.log('--> 3a6645ab723');
      process.exit(0);
    }, 20);
  } else {
    console.log('STEP 2/3: RUN make');
    // Its own process group, so a signal to podman's group reaches podman alone (the handler above decides).
    step = spawn('sleep', ['3600'], { stdio: 'ignore', detached: true });
    writeFileSync(join(dir, 'step.pid'), String(step.pid));
    console.log('step=' + step.pid);
    step.on('exit', (code, signal) => {
      console.error('subprocess exited on ' + signal);
      writeFileSync(join(dir, 'working-container-removed'), '');
      console.error('Error: building at STEP "RUN make": exit status 1');
      process.exit(1);
    });
  }
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-build-process-'));
});
afterEach(async () => {
  // A failed assertion must not leak the stand-in's step (it runs in its own process group).
  const stepPid = existsSync(join(dir, 'step.pid')) ? Number(readFileSync(join(dir, 'step.pid'), 'utf8')) : 0;
  if (stepPid > 0 && procTree.alive(stepPid)) procTree.signal(stepPid, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** Runs the stand-in as a podman build; resolves `line(pattern)` when it printed a matching line. */
function fakeBuild(
  mode: 'run' | 'commit',
  options: {
    policy?: 'interrupt-steps' | 'terminate-client';
    signal?: AbortSignal;
    timeoutMs?: number;
    windDownMs?: number;
    onRunning?: (build: RunningBuild | undefined) => void;
  } = {},
) {
  const lines: LogLine[] = [];
  const waiters: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  const log = (entry: LogLine) => {
    lines.push(entry);
    for (const w of waiters) if (w.pattern.test(entry.text)) w.resolve(entry.text);
  };
  const line = (pattern: RegExp) =>
    new Promise<string>((resolve) => {
      const seen = lines.find((l) => pattern.test(l.text));
      if (seen) resolve(seen.text);
      else waiters.push({ pattern, resolve });
    });
  const result = runBuildCommand({
    runner: createCommandRunner(),
    binary: process.execPath,
    args: ['-e', FAKE_PODMAN, dir, mode],
    policy: options.policy ?? 'interrupt-steps',
    options: { log, logSource: 'build:gateway', ...(options.signal ? { signal: options.signal } : {}) },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.windDownMs === undefined ? {} : { windDownMs: options.windDownMs }),
    ...(options.onRunning ? { onRunning: options.onRunning } : {}),
  });
  result.catch(() => {});
  return { result, line };
}

const happened = (what: string) => existsSync(join(dir, what));

/** A queue between a build and the engine: nothing it is asked to run starts before `release()`. */
function queuedRunner() {
  const real = createCommandRunner();
  let release: () => void = () => {};
  const queued = new Promise<void>((resolve) => {
    release = resolve;
  });
  const queue = {
    run: async (...args: Parameters<typeof real.run>) => {
      await queued;
      return real.run(...args);
    },
    start: real.start.bind(real),
  };
  return { queue, release };
}

describe.skipIf(!procTree.supported)('runBuildCommand (interrupt-steps, as for podman)', () => {
  it('on cancel stops the RUN step, never podman: podman fails the step and cleans up by itself', async () => {
    const controller = new AbortController();
    const build = fakeBuild('run', { signal: controller.signal });
    const step = Number((await build.line(/^step=\d+$/)).slice(5));
    expect(procTree.alive(step)).toBe(true);

    controller.abort(new Error('step build:datastorage failed'));
    const error = await build.result.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toContain('was cancelled: step build:datastorage failed');
    expect(happened('working-container-removed')).toBe(true);
    expect(happened('podman-got-sigterm')).toBe(false);
    expect(procTree.alive(step)).toBe(false);
  });

  it('stops only the RUN step also when a runner in front of the engine spawns podman later (a queue)', async () => {
    // A queue between the build and the engine: podman is not in the process table when the build is called.
    const { queue, release } = queuedRunner();
    const lines: LogLine[] = [];
    let stepLine: (text: string) => void = () => {};
    const stepSeen = new Promise<string>((resolve) => {
      stepLine = resolve;
    });
    const controller = new AbortController();
    const result = runBuildCommand({
      runner: queue,
      binary: process.execPath,
      args: ['-e', FAKE_PODMAN, dir, 'run'],
      policy: 'interrupt-steps',
      options: {
        signal: controller.signal,
        log: (entry) => {
          lines.push(entry);
          if (/^step=\d+$/.test(entry.text)) stepLine(entry.text);
        },
      },
    });
    result.catch(() => {});
    release();
    const step = Number((await stepSeen).slice(5));
    controller.abort(new Error('step build:datastorage failed'));
    const error = await result.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CancelledError);
    expect(happened('podman-got-sigterm')).toBe(false);
    expect(happened('working-container-removed')).toBe(true);
    expect(procTree.alive(step)).toBe(false);
  });

  it('a build cancelled while still queued never starts', async () => {
    const { queue, release } = queuedRunner();
    const controller = new AbortController();
    const result = runBuildCommand({
      runner: queue,
      binary: process.execPath,
      args: ['-e', FAKE_PODMAN, dir, 'run'],
      policy: 'interrupt-steps',
      options: { signal: controller.signal },
    });
    result.catch(() => {});
    controller.abort(new Error('step build:datastorage failed'));
    release();
    expect(await result.catch((e: unknown) => e)).toBeInstanceOf(CancelledError);
    expect(happened('step.pid')).toBe(false);
  });

  it("at this process's exit stops only the RUN step of a running build, never podman", async () => {
    const build = fakeBuild('run');
    const step = Number((await build.line(/^step=\d+$/)).slice(5));
    // What the exit hook does when this process exits with the build still running (a second Ctrl-C).
    runExitActions();
    await build.result.catch(() => {});
    expect(happened('podman-got-sigterm')).toBe(false);
    expect(happened('working-container-removed')).toBe(true);
    expect(procTree.alive(step)).toBe(false);
  });

  it('never interrupts a commit: a cancel during one lets it finish, and says the image is removed after', async () => {
    const controller = new AbortController();
    const build = fakeBuild('commit', { signal: controller.signal });
    await build.line(/^COMMIT /);

    controller.abort(new Error('SIGINT'));
    // The commit goes on; it finishes when the (stand-in) storage is done.
    writeFileSync(join(dir, 'proceed'), '');
    const error = await build.result.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toContain('it finished first, so its image is removed');
    expect(readFileSync(join(dir, 'image'), 'utf8')).toBe('complete image');
    expect(happened('podman-got-sigterm')).toBe(false);
  });

  it('at its deadline stops the RUN step the same way, and reports a timeout', async () => {
    // The step never ends by itself, so the deadline is certain to pass: the outcome does not depend on speed.
    const build = fakeBuild('run', { timeoutMs: 200 });
    const error = await build.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).timedOut).toBe(true);
    expect(happened('working-container-removed')).toBe(true);
    expect(happened('podman-got-sigterm')).toBe(false);
  });

  it('terminates a build that does not wind down in time, and says what that can leave behind', async () => {
    const controller = new AbortController();
    const build = fakeBuild('commit', { signal: controller.signal, windDownMs: 0 });
    await build.line(/^COMMIT /);
    controller.abort(new Error('SIGINT'));
    const error = await build.result.catch((e: unknown) => e);
    expect((error as Error).message).toContain('was terminated, which can leave working containers');
    expect(happened('podman-got-sigterm')).toBe(true);
  });

  it('tells its ledger about the running build (pid and start time) and how to stop it', async () => {
    let running: RunningBuild | undefined;
    const reports: (RunningBuild | undefined)[] = [];
    const build = fakeBuild('run', {
      onRunning: (b) => {
        reports.push(b);
        running = b;
      },
    });
    await build.line(/^step=/);
    expect(running?.pid).toBeGreaterThan(0);
    expect(running?.startTime).toBe(procTree.startTime(running!.pid!));
    // What a ledger's cleanup does on SIGINT: stop it and wait for it to end.
    await running!.stop(new Error('the run is being cleaned up'));
    expect(happened('working-container-removed')).toBe(true);
    await expect(build.result).rejects.toBeInstanceOf(CancelledError);
    expect(reports.at(-1)).toBeUndefined();
  });
});

describe('runBuildCommand (terminate-client, as for docker)', () => {
  it('terminates the client: the daemon cancels the build', async () => {
    const controller = new AbortController();
    const build = fakeBuild('run', { policy: 'terminate-client', signal: controller.signal });
    await build.line(/^step=/);
    controller.abort(new Error('SIGINT'));
    const error = await build.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toContain('SIGINT');
    expect(happened('podman-got-sigterm')).toBe(true);
  });
});

describe.skipIf(!procTree.supported)('stopOrphanedBuild', () => {
  it('stops the RUN step of a build whose run died, and waits until the build has ended', async () => {
    let running: RunningBuild | undefined;
    const build = fakeBuild('run', { onRunning: (b) => (running ??= b) });
    await build.line(/^step=/);
    const { pid, startTime } = running!;
    await stopOrphanedBuild({ pid: pid!, ...(startTime ? { startTime } : {}), policy: 'interrupt-steps' });
    expect(procTree.alive(pid!)).toBe(false);
    expect(happened('working-container-removed')).toBe(true);
    expect(happened('podman-got-sigterm')).toBe(false);
    await build.result.catch(() => {});
  });

  it('leaves a process alone that only reuses the recorded pid', async () => {
    const controller = new AbortController();
    let running: RunningBuild | undefined;
    const build = fakeBuild('run', { signal: controller.signal, onRunning: (b) => (running ??= b) });
    const step = Number((await build.line(/^step=\d+$/)).slice(5));
    await stopOrphanedBuild({ pid: running!.pid!, startTime: 'another process', policy: 'interrupt-steps' });
    expect(procTree.alive(step)).toBe(true);
    controller.abort();
    await build.result.catch(() => {});
  });
});
