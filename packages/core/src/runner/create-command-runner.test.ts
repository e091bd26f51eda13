import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError } from '../errors/command-error.js';
import { ConfigError } from '../errors/config-error.js';
import { CancelledError, TimeoutError, ToolNotFoundError } from '../errors/simple-errors.js';
import type { LogLine } from '../ports/log-sink.js';
import {
  CHILD_PROCESS_TIMEOUT_MS,
  isAlive,
  killQuietly,
  waitUntilDead,
} from '../testing-internal/processes.js';
import { createCommandRunner } from './create-command-runner.js';

const node = process.execPath;
const scratch = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-runner-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A child that starts a grandchild (optionally sharing its stdout), prints both pids, then hangs. */
function treeScript(options: { grandchildInheritsStdout?: boolean; ignoreSigterm?: boolean } = {}): string {
  return `
    const { spawn } = require('node:child_process');
    ${options.ignoreSigterm ? "process.on('SIGTERM', () => {});" : ''}
    const gc = spawn(process.execPath, ['-e', "${options.ignoreSigterm ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000)"],
      { stdio: ${options.grandchildInheritsStdout ? "'inherit'" : "'ignore'"} });
    console.log('child=' + process.pid);
    console.log('grandchild=' + gc.pid);
    setInterval(() => {}, 1000);
  `;
}

/** Collects log lines and resolves once a line carrying both pids was printed. */
function pidCollector() {
  const lines: LogLine[] = [];
  let resolvePids: (pids: { child: number; grandchild: number }) => void = () => {};
  const pids = new Promise<{ child: number; grandchild: number }>((r) => {
    resolvePids = r;
  });
  const found: Record<string, number> = {};
  const log = (line: LogLine) => {
    lines.push(line);
    const m = /^(child|grandchild)=(\d+)$/.exec(line.text);
    if (m) found[m[1]!] = Number(m[2]);
    if (found.child && found.grandchild) resolvePids({ child: found.child, grandchild: found.grandchild });
  };
  return { lines, log, pids };
}

describe('createCommandRunner().run', { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  const runner = createCommandRunner();

  it('returns argv, stdout, stderr, exit code 0 and a duration', async () => {
    const script = 'console.log("first"); console.log("second"); console.error("warning: x")';
    const result = await runner.run(node, ['-e', script]);
    expect(result.argv).toEqual([node, '-e', script]);
    expect(result.stdout).toBe('first\nsecond');
    expect(result.stderr).toBe('warning: x');
    expect(result.exitCode).toBe(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('streams every stdout and stderr line to the log with the given source, in order', async () => {
    const lines: LogLine[] = [];
    await runner.run(node, ['-e', 'console.log("a"); console.log("b"); console.error("c")'], {
      log: (l) => lines.push(l),
      logSource: 'build:gateway',
    });
    expect(lines.map((l) => [l.source, l.stream, l.text])).toEqual(
      expect.arrayContaining([
        ['build:gateway', 'stdout', 'a'],
        ['build:gateway', 'stdout', 'b'],
        ['build:gateway', 'stderr', 'c'],
      ]),
    );
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual(['a', 'b']);
  });

  it('uses the runner-wide log and the program name as source when the call gives none', async () => {
    const lines: LogLine[] = [];
    const logged = createCommandRunner({ log: (l) => lines.push(l) });
    await logged.run(node, ['-e', 'console.log("hello")']);
    expect(lines).toEqual([expect.objectContaining({ source: 'node', stream: 'stdout', text: 'hello' })]);
  });

  it('writes `input` to stdin and closes it', async () => {
    const script =
      'let s = ""; process.stdin.on("data", (d) => (s += d)); process.stdin.on("end", () => console.log(s.toUpperCase()))';
    const result = await runner.run(node, ['-e', script], { input: 'apiVersion: v1\nkind: Namespace' });
    expect(result.stdout).toBe('APIVERSION: V1\nKIND: NAMESPACE');
  });

  it('gives a child that reads stdin without `input` an immediate end of file instead of hanging', async () => {
    const script =
      'let n = 0; process.stdin.on("data", (d) => (n += d.length)); process.stdin.on("end", () => console.log("eof " + n))';
    const result = await runner.run(node, ['-e', script]);
    expect(result.stdout).toBe('eof 0');
  });

  it('adds `env` to the parent environment and removes variables set to undefined', async () => {
    process.env.KE_RUNNER_TEST_REMOVED = 'present';
    process.env.KE_RUNNER_TEST_KEPT = 'kept';
    try {
      const script =
        'console.log(JSON.stringify([process.env.KE_ADDED, process.env.KE_RUNNER_TEST_REMOVED ?? null, process.env.KE_RUNNER_TEST_KEPT]))';
      const result = await runner.run(node, ['-e', script], {
        env: { KE_ADDED: 'added', KE_RUNNER_TEST_REMOVED: undefined },
      });
      expect(JSON.parse(result.stdout)).toEqual(['added', null, 'kept']);
    } finally {
      delete process.env.KE_RUNNER_TEST_REMOVED;
      delete process.env.KE_RUNNER_TEST_KEPT;
    }
  });

  it('runs in `cwd`', async () => {
    const result = await runner.run(node, ['-e', 'console.log(process.cwd())'], { cwd: scratch });
    expect(realpathSync(result.stdout)).toBe(realpathSync(scratch));
  });

  it('rejects a missing `cwd` with a ConfigError naming the field', async () => {
    const error = await runner
      .run(node, ['-e', ''], { cwd: join(scratch, 'missing') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe('cwd');
  });

  it('turns a non-zero exit into a CommandError with argv, exit code and the last 20 stderr lines', async () => {
    const script =
      'for (let i = 1; i <= 30; i++) console.error("problem " + i); console.log("out"); process.exit(3)';
    const error = await runner.run(node, ['-e', script]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    const failure = error as CommandError;
    expect(failure.code).toBe('KE_COMMAND');
    expect(failure.argv).toEqual([node, '-e', script]);
    expect(failure.exitCode).toBe(3);
    expect(failure.timedOut).toBe(false);
    expect(failure.stderrTail).toHaveLength(20);
    expect(failure.stderrTail[0]).toBe('problem 11');
    expect(failure.stderrTail.at(-1)).toBe('problem 30');
    expect(failure.message).toContain('exited with code 3');
    expect(failure.message).toContain('problem 30');
    expect(failure.cause).toBeInstanceOf(Error);
  });

  it('uses the stdout tail when stderr is empty', async () => {
    const error = await runner
      .run(node, ['-e', 'console.log("ERROR: image not found"); process.exit(1)'])
      .catch((e: unknown) => e);
    expect((error as CommandError).stderrTail).toEqual(['ERROR: image not found']);
  });

  it('raises ToolNotFoundError naming the tool and how to install it when the binary is missing', async () => {
    const emptyPath = mkdtempSync(join(scratch, 'path-'));
    const error = await runner
      .run('kubectl', ['version', '--client'], { env: { PATH: emptyPath } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolNotFoundError);
    const notFound = error as ToolNotFoundError;
    expect(notFound.code).toBe('KE_TOOL_NOT_FOUND');
    expect(notFound.tool).toBe('kubectl');
    expect(notFound.message).toContain('`kubectl` was not found on PATH');
    expect(notFound.message).toContain('https://kubernetes.io/docs/tasks/tools/');
    expect(notFound.cause).toBeInstanceOf(Error);
  });

  it('gives a generic install hint for tools it has no entry for', async () => {
    const error = await runner.run('kubernaut-e2e-no-such-tool', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolNotFoundError);
    expect((error as Error).message).toContain('Install `kubernaut-e2e-no-such-tool`');
  });

  it('kills the whole process tree on timeout and reports timedOut', async () => {
    // The deadline must fall after both processes have started, and starting takes longer on a loaded
    // machine. A run whose deadline came first proves nothing either way, so it is run again with twice the
    // deadline: the assertions below only ever see a tree that really was running at its deadline.
    for (let timeoutMs = 4_000; ; timeoutMs *= 2) {
      const { log, pids } = pidCollector();
      const outcome = runner.run(node, ['-e', treeScript()], { timeoutMs, log }).catch((e: unknown) => e);
      const started = await Promise.race([pids, outcome.then(() => undefined)]);
      if (started === undefined) {
        if (timeoutMs >= 32_000)
          throw new Error('the child never printed its pids, even with a 32 s deadline');
        continue;
      }
      const { child, grandchild } = started;
      try {
        const error = await outcome;
        expect(error).toBeInstanceOf(CommandError);
        expect((error as CommandError).timedOut).toBe(true);
        expect((error as CommandError).message).toContain('timed out after');
        expect(await waitUntilDead(child)).toBe(true);
        expect(await waitUntilDead(grandchild)).toBe(true);
      } finally {
        killQuietly(grandchild);
      }
      return;
    }
  });

  it('applies the runner-wide default timeout', async () => {
    const impatient = createCommandRunner({ defaultTimeoutMs: 300 });
    const error = await impatient.run(node, ['-e', 'setInterval(() => {}, 1000)']).catch((e: unknown) => e);
    expect((error as CommandError).timedOut).toBe(true);
  });

  it('kills the process tree when the signal aborts and raises CancelledError with the reason as cause', async () => {
    const { log, pids } = pidCollector();
    const controller = new AbortController();
    const outcome = runner
      .run(node, ['-e', treeScript()], { signal: controller.signal, log })
      .catch((e: unknown) => e);
    const { child, grandchild } = await pids;
    try {
      expect(isAlive(grandchild)).toBe(true);
      const reason = new Error('step build:gateway failed');
      controller.abort(reason);
      const error = await outcome;
      expect(error).toBeInstanceOf(CancelledError);
      expect((error as CancelledError).code).toBe('KE_CANCELLED');
      expect((error as CancelledError).cause).toBe(reason);
      expect((error as Error).message).toContain('step build:gateway failed');
      expect(await waitUntilDead(child)).toBe(true);
      expect(await waitUntilDead(grandchild)).toBe(true);
    } finally {
      killQuietly(grandchild);
    }
  });

  it('does not hang when a grandchild still holds the stdout pipe after the child died', async () => {
    const { log, pids } = pidCollector();
    const controller = new AbortController();
    const outcome = runner
      .run(node, ['-e', treeScript({ grandchildInheritsStdout: true })], { signal: controller.signal, log })
      .catch((e: unknown) => e);
    const { grandchild } = await pids;
    try {
      controller.abort();
      expect(await outcome).toBeInstanceOf(CancelledError);
      expect(await waitUntilDead(grandchild)).toBe(true);
    } finally {
      killQuietly(grandchild);
    }
  });

  it('force-kills a tree that ignores SIGTERM after forceKillAfterMs', async () => {
    const { log, pids } = pidCollector();
    const controller = new AbortController();
    const outcome = runner
      .run(node, ['-e', treeScript({ ignoreSigterm: true })], {
        signal: controller.signal,
        forceKillAfterMs: 200,
        log,
      })
      .catch((e: unknown) => e);
    const { child, grandchild } = await pids;
    try {
      controller.abort();
      expect(await outcome).toBeInstanceOf(CancelledError);
      expect(await waitUntilDead(child)).toBe(true);
      expect(await waitUntilDead(grandchild)).toBe(true);
    } finally {
      killQuietly(child);
      killQuietly(grandchild);
    }
  });

  it('does not start the command when the signal is already aborted', async () => {
    const marker = join(scratch, 'should-not-exist');
    const controller = new AbortController();
    controller.abort();
    const error = await runner
      .run(node, ['-e', `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "x")`], {
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(existsSync(marker)).toBe(false);
  });

  it('passes arguments verbatim, without a shell', async () => {
    const tricky = ['$(touch /tmp/pwned)', 'a b', "it's", '*', '; rm -rf /'];
    const result = await runner.run(node, [
      '-e',
      'console.log(JSON.stringify(process.argv.slice(1)))',
      ...tricky,
    ]);
    expect(JSON.parse(result.stdout)).toEqual(tricky);
  });
});

describe('createCommandRunner().start', { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  const runner = createCommandRunner();

  it('resolves waitForLine with the first matching line while the command keeps running', async () => {
    const script =
      'console.log("starting"); setTimeout(() => console.log("Forwarding from 127.0.0.1:43210 -> 8080"), 100); setInterval(() => {}, 1000)';
    const command = runner.start(node, ['-e', script]);
    try {
      expect(command.pid).toBeGreaterThan(0);
      const line = await command.waitForLine(/Forwarding from 127\.0\.0\.1:(\d+)/, 30_000);
      expect(line).toBe('Forwarding from 127.0.0.1:43210 -> 8080');
      expect(isAlive(command.pid!)).toBe(true);
    } finally {
      await command.stop();
    }
  });

  it('also finds a line printed before waitForLine was called', async () => {
    const command = runner.start(node, ['-e', 'console.log("ready"); setInterval(() => {}, 1000)']);
    try {
      await command.waitForLine(/ready/, 30_000);
      expect(await command.waitForLine(/^ready$/, 30_000)).toBe('ready');
    } finally {
      await command.stop();
    }
  });

  it('stop() kills the process tree and resolves done; calling it twice is harmless', async () => {
    const { log, pids } = pidCollector();
    const command = runner.start(node, ['-e', treeScript()], { log });
    const { child, grandchild } = await pids;
    try {
      await command.stop();
      await command.stop();
      const result = await command.done;
      expect(result.argv[0]).toBe(node);
      expect(await waitUntilDead(child)).toBe(true);
      expect(await waitUntilDead(grandchild)).toBe(true);
    } finally {
      killQuietly(grandchild);
    }
  });

  it('rejects waitForLine with the CommandError when the command fails before printing the line', async () => {
    const command = runner.start(node, ['-e', 'console.error("error: pod not found"); process.exit(1)']);
    const error = await command.waitForLine(/Forwarding from/, 30_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).exitCode).toBe(1);
    expect((error as CommandError).stderrTail).toEqual(['error: pod not found']);
    expect((error as Error).message).toContain('waiting for a line matching /Forwarding from/');
    await expect(command.done).rejects.toBeInstanceOf(CommandError);
  });

  it('rejects waitForLine when the command exits successfully without the line', async () => {
    const command = runner.start(node, ['-e', 'console.log("bye")']);
    const error = await command.waitForLine(/never/, 30_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as Error).message).toContain('exited first');
    expect((await command.done).stdout).toBe('bye');
  });

  it('rejects waitForLine with TimeoutError when no line matches in time, leaving the command running', async () => {
    const command = runner.start(node, ['-e', 'console.log("noise"); setInterval(() => {}, 1000)']);
    try {
      const error = await command.waitForLine(/never/, 200).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toContain('/never/');
      expect(isAlive(command.pid!)).toBe(true);
    } finally {
      await command.stop();
    }
  });

  it('is cancelled by its signal: done rejects with CancelledError and the tree is gone', async () => {
    const { log, pids } = pidCollector();
    const controller = new AbortController();
    const command = runner.start(node, ['-e', treeScript()], { log, signal: controller.signal });
    const { grandchild } = await pids;
    try {
      controller.abort();
      await expect(command.done).rejects.toBeInstanceOf(CancelledError);
      expect(await waitUntilDead(grandchild)).toBe(true);
    } finally {
      killQuietly(grandchild);
    }
  });
});
