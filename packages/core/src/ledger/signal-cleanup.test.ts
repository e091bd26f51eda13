import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors/command-error.js';
import { createCommandRunner } from '../runner/create-command-runner.js';
import { CHILD_PROCESS_TIMEOUT_MS, killQuietly, waitUntilDead } from '../testing-internal/processes.js';
import { CORE_SOURCE, TYPESCRIPT_NODE_ARGS } from '../testing-internal/typescript-child.js';

/**
 * A run in a child process: temp dirs with files in them, a tracked archive, a long-running command
 * recorded as a process, and a disposal that fails. It prints what it created, then works forever.
 */
function runScript(): string {
  return `
    import { writeFile } from 'node:fs/promises';
    import { join } from 'node:path';
    const core = await import(${JSON.stringify(CORE_SOURCE)});
    const ledger = new core.RunLedger();
    core.installSignalCleanup(ledger);
    const kube = await ledger.tempDir('signal-kube');
    await writeFile(join(kube, 'kubeconfig'), 'apiVersion: v1');
    const build = await ledger.tempDir('signal-build');
    const archive = join(build, 'gateway.tar');
    await writeFile(archive, 'tar');
    ledger.trackFile(archive);
    const sleeper = core.createCommandRunner().start(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    ledger.record({ kind: 'process', name: 'sleeper', dispose: () => sleeper.stop() });
    ledger.record({ kind: 'other', name: 'broken', dispose: async () => { throw new Error('cannot'); } });
    console.log('ready ' + JSON.stringify({ paths: [kube, build, archive], sleeper: sleeper.pid }));
    setInterval(() => {}, 1000);
  `;
}

describe('installSignalCleanup', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'on %s removes everything the run recorded and exits %d',
    async (signal, expectedCode) => {
      const runner = createCommandRunner();
      const child = runner.start(process.execPath, [
        ...TYPESCRIPT_NODE_ARGS,
        '--input-type=module',
        '-e',
        runScript(),
      ]);
      let sleeper: number | undefined;
      try {
        const ready = await child.waitForLine(/^ready /, CHILD_PROCESS_TIMEOUT_MS);
        const created = JSON.parse(ready.slice('ready '.length)) as { paths: string[]; sleeper: number };
        sleeper = created.sleeper;
        expect(created.paths.every((p) => existsSync(p))).toBe(true);

        process.kill(child.pid!, signal);
        const error = await child.done.catch((e: unknown) => e);

        expect(error).toBeInstanceOf(CommandError);
        expect((error as CommandError).exitCode).toBe(expectedCode);
        expect((error as CommandError).stderrTail.join('\n')).toContain(`${signal} received, cleaning up`);
        expect((error as CommandError).stderrTail.join('\n')).toContain(
          'could not remove other broken: cannot',
        );
        for (const path of created.paths) expect(existsSync(path), `${path} left behind`).toBe(false);
        expect(await waitUntilDead(created.sleeper)).toBe(true);
      } finally {
        await child.stop();
        killQuietly(sleeper);
      }
    },
    CHILD_PROCESS_TIMEOUT_MS,
  );
});
