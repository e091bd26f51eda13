import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors/command-error.js';
import { CancelledError, TimeoutError, ToolNotFoundError } from '../errors/simple-errors.js';
import type { LogLine } from '../ports/log-sink.js';
import { ScriptedRunner } from './scripted-runner.js';

describe('ScriptedRunner.run', () => {
  it('answers an exact argv with its scripted stdout and records the call with its options', async () => {
    const runner = new ScriptedRunner([{ argv: ['kind', 'get', 'clusters'], stdout: 'gateway-e2e\nkind\n' }]);
    const result = await runner.run('kind', ['get', 'clusters'], { cwd: '/tmp', env: { KUBECONFIG: '/k' } });
    expect(result).toEqual({
      argv: ['kind', 'get', 'clusters'],
      stdout: 'gateway-e2e\nkind',
      stderr: '',
      exitCode: 0,
      durationMs: 0,
    });
    expect(runner.calls).toEqual([
      {
        method: 'run',
        argv: ['kind', 'get', 'clusters'],
        options: { cwd: '/tmp', env: { KUBECONFIG: '/k' } },
        expectation: 0,
      },
    ]);
    runner.assertAllUsed();
  });

  it('answers a predicate expectation', async () => {
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[0] === 'podman' && argv[1] === 'build',
        description: 'podman build',
        stdout: 'sha',
      },
    ]);
    const result = await runner.run('podman', ['build', '-t', 'localhost/a:b', '.']);
    expect(result.stdout).toBe('sha');
  });

  it('matches expectations in any order, each once by default', async () => {
    const runner = new ScriptedRunner([
      { argv: ['podman', 'save', 'a'], stdout: 'saved a' },
      { argv: ['podman', 'save', 'b'], stdout: 'saved b' },
    ]);
    expect((await runner.run('podman', ['save', 'b'])).stdout).toBe('saved b');
    expect((await runner.run('podman', ['save', 'a'])).stdout).toBe('saved a');
    await expect(runner.run('podman', ['save', 'a'])).rejects.toThrow(/unexpected run\(\): podman save a/);
  });

  it('answers `times` calls, or any number with Infinity', async () => {
    const runner = new ScriptedRunner([
      { argv: ['kubectl', 'get', 'pods'], stdout: 'Pending', times: 2 },
      { argv: ['kubectl', 'get', 'nodes'], stdout: 'Ready', times: Number.POSITIVE_INFINITY },
    ]);
    await runner.run('kubectl', ['get', 'pods']);
    expect(() => runner.assertAllUsed()).toThrow(/\(1\/2 used\)/);
    await runner.run('kubectl', ['get', 'pods']);
    for (let i = 0; i < 5; i++) await runner.run('kubectl', ['get', 'nodes']);
    runner.assertAllUsed();
  });

  it('throws a real CommandError for a non-zero exit, with the stderr tail', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['kind', 'load', 'image-archive', '/x.tar'],
        stderr: 'ERROR: no nodes found for cluster "x"',
        exitCode: 1,
      },
    ]);
    const error = await runner.run('kind', ['load', 'image-archive', '/x.tar']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error).toMatchObject({
      argv: ['kind', 'load', 'image-archive', '/x.tar'],
      exitCode: 1,
      timedOut: false,
      stderrTail: ['ERROR: no nodes found for cluster "x"'],
    });
  });

  it('throws a scripted error instead, e.g. a missing tool', async () => {
    const missing = new ToolNotFoundError('kind', 'install kind');
    const runner = new ScriptedRunner([{ argv: ['kind', 'version'], error: missing }]);
    await expect(runner.run('kind', ['version'])).rejects.toBe(missing);
  });

  it('throws loudly on an unexpected call, listing the argv and the remaining expectations', async () => {
    const runner = new ScriptedRunner([
      { argv: ['podman', 'build', '-t', 'x', '.'] },
      { match: () => false, description: 'kind create cluster' },
    ]);
    const error = (await runner.run('docker', ['build', '-t', 'x', '.']).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('unexpected run(): docker build -t x .');
    expect(error.message).toContain('["docker","build","-t","x","."]');
    expect(error.message).toContain('#0 run/start ["podman","build","-t","x","."]');
    expect(error.message).toContain('#1 run/start <predicate: kind create cluster>');
    expect(runner.calls.at(-1)?.expectation).toBe(-1);
  });

  it('requires the expected env and input when the expectation names them', async () => {
    const runner = new ScriptedRunner([
      { argv: ['kubectl', 'apply', '-f', '-'], env: { KUBECONFIG: '/k' }, input: 'kind: Namespace' },
    ]);
    await expect(
      runner.run('kubectl', ['apply', '-f', '-'], { env: { KUBECONFIG: '/other' }, input: 'kind: Pod' }),
    ).rejects.toThrow(
      /env\.KUBECONFIG: expected "\/k", got "\/other"\n\s+input: expected "kind: Namespace", got "kind: Pod"/,
    );
    await runner.run('kubectl', ['apply', '-f', '-'], {
      env: { KUBECONFIG: '/k' },
      input: 'kind: Namespace',
    });
    runner.assertAllUsed();
  });

  it('assertAllUsed names each expectation that never ran and the calls that did', async () => {
    const runner = new ScriptedRunner([{ argv: ['a'] }, { argv: ['b', 'x'] }]);
    await runner.run('a', []);
    expect(() => runner.assertAllUsed()).toThrow(
      /1 expected command\(s\) never ran:\n\s+#1 run\/start \["b","x"\][\s\S]*Calls made:\n\s+run a/,
    );
  });

  it('streams scripted output lines to the call log with the log source, like the real runner', async () => {
    const lines: LogLine[] = [];
    const runner = new ScriptedRunner([
      {
        argv: ['podman', 'build', '.'],
        lines: ['STEP 1/2: FROM scratch', { stream: 'stderr', text: 'warning' }, 'COMMIT localhost/x:y'],
      },
    ]);
    const result = await runner.run('podman', ['build', '.'], {
      log: (l) => lines.push(l),
      logSource: 'build:x',
    });
    expect(lines.map((l) => `${l.source} ${l.stream} ${l.text}`)).toEqual([
      'build:x stdout STEP 1/2: FROM scratch',
      'build:x stderr warning',
      'build:x stdout COMMIT localhost/x:y',
    ]);
    expect(result.stdout).toBe('STEP 1/2: FROM scratch\nCOMMIT localhost/x:y');
    expect(result.stderr).toBe('warning');
  });

  it('computes a response from the call with `respond`', async () => {
    const runner = new ScriptedRunner([
      { match: (argv) => argv[0] === 'echo', respond: ({ argv }) => ({ stdout: argv.slice(1).join(' ') }) },
    ]);
    expect((await runner.run('echo', ['hi', 'there'])).stdout).toBe('hi there');
  });

  it('a hanging command settles with CancelledError when its signal aborts', async () => {
    const runner = new ScriptedRunner([{ argv: ['kind', 'create', 'cluster'], hang: true }]);
    const controller = new AbortController();
    const outcome = runner.run('kind', ['create', 'cluster'], { signal: controller.signal });
    controller.abort(new Error('sibling failed'));
    const error = await outcome.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).cause).toEqual(new Error('sibling failed'));
  });

  it('expectations can be added later', async () => {
    const runner = new ScriptedRunner().expect({ argv: ['x'] });
    await runner.run('x', []);
    runner.assertAllUsed();
  });

  it('waitForCall resolves once a matching call is received, even one made before it was asked', async () => {
    const runner = new ScriptedRunner([
      { argv: ['podman', 'images'], stdout: '[]' },
      { match: (argv) => argv[1] === 'build', hang: true },
    ]);
    await runner.run('podman', ['images']);
    expect((await runner.waitForCall(['podman', 'images'])).expectation).toBe(0);

    const controller = new AbortController();
    const waiting = runner.waitForCall((call) => call.argv[1] === 'build');
    const building = runner.run('podman', ['build', '.'], { signal: controller.signal });
    const call = await waiting;
    // The call is hanging now; aborting it is what a cancelled sibling does.
    expect(call.argv).toEqual(['podman', 'build', '.']);
    controller.abort(new Error('sibling failed'));
    await expect(building).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('ScriptedRunner.start', () => {
  it('emits its scripted lines to waitForLine and the log, then runs until stopped', async () => {
    const lines: LogLine[] = [];
    const runner = new ScriptedRunner([
      {
        argv: ['kubectl', 'port-forward', 'svc/datastorage', ':8080'],
        method: 'start',
        lines: ['Forwarding from 127.0.0.1:40123 -> 8080', 'Forwarding from [::1]:40123 -> 8080'],
      },
    ]);
    const command = runner.start('kubectl', ['port-forward', 'svc/datastorage', ':8080'], {
      log: (l) => lines.push(l),
    });
    expect(await command.waitForLine(/127\.0\.0\.1:(\d+)/, 1_000)).toBe(
      'Forwarding from 127.0.0.1:40123 -> 8080',
    );
    expect(lines).toHaveLength(2);
    expect(runner.started[0]?.stopped).toBe(false);
    await command.stop();
    expect(runner.started[0]?.stopped).toBe(true);
    expect((await command.done).exitCode).toBe(143);
  });

  it('a start expectation does not answer run()', async () => {
    const runner = new ScriptedRunner([{ argv: ['kubectl', 'logs', '-f', 'x'], method: 'start' }]);
    await expect(runner.run('kubectl', ['logs', '-f', 'x'])).rejects.toThrow(/unexpected run\(\)/);
  });

  it('a failing started command rejects done and waitForLine with CommandError', async () => {
    const runner = new ScriptedRunner([
      { argv: ['kubectl', 'port-forward', 'pod/x', ':1'], stderr: 'error: pod not found', exitCode: 1 },
    ]);
    const command = runner.start('kubectl', ['port-forward', 'pod/x', ':1']);
    const error = await command.waitForLine(/Forwarding/, 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).stderrTail).toEqual(['error: pod not found']);
    await expect(command.done).rejects.toBeInstanceOf(CommandError);
  });

  it('a command scripted to exit resolves done with its output', async () => {
    const runner = new ScriptedRunner([{ argv: ['x'], lines: ['one', 'two'], exits: true }]);
    const command = runner.start('x', []);
    expect((await command.done).stdout).toBe('one\ntwo');
    await expect(command.waitForLine(/three/, 1_000)).rejects.toThrow(/exited first/);
  });

  it('waitForLine rejects with TimeoutError when no scripted line matches', async () => {
    const runner = new ScriptedRunner([{ argv: ['x'], lines: ['noise'] }]);
    const command = runner.start('x', []);
    await expect(command.waitForLine(/never/, 20)).rejects.toBeInstanceOf(TimeoutError);
    await command.stop();
  });

  it('aborting the signal ends a started command with CancelledError', async () => {
    const runner = new ScriptedRunner([{ argv: ['x'] }]);
    const controller = new AbortController();
    const command = runner.start('x', [], { signal: controller.signal });
    controller.abort();
    await expect(command.done).rejects.toBeInstanceOf(CancelledError);
  });
});
