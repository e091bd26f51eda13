import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runBin as runBinIn, WORKSPACE_CONFIG } from './testing-internal/run-bin.js';

let shims: string;
let log: string;

/** Runs the binary in an empty directory, with this repository's config. */
function runBin(args: string[], env: NodeJS.ProcessEnv, onStderr?: (text: string, kill: () => void) => void) {
  return runBinIn([...args, '--config', WORKSPACE_CONFIG], {
    cwd: shims,
    env,
    ...(onStderr
      ? {
          started: (child: ChildProcess) => {
            let stderr = '';
            child.stderr?.on('data', (c) => {
              stderr += c;
              onStderr(stderr, () => child.kill('SIGINT'));
            });
          },
        }
      : {}),
  });
}

/** A fake tool on PATH that records every invocation, so a test can prove what ran. */
async function shim(name: string, output: string): Promise<void> {
  const path = join(shims, name);
  await writeFile(path, `#!/bin/sh\necho "${name} $*" >> "${log}"\necho '${output}'\n`);
  await chmod(path, 0o755);
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` (pnpm test does) first`);
  shims = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-shims-'));
  log = join(shims, 'calls.log');
  await shim('podman', 'podman version 4.3.1');
});
afterAll(async () => {
  await rm(shims, { recursive: true, force: true });
});

// PATH holds only the shims (node itself is spawned by absolute path): no real podman, kind or kubectl.
const onlyShims = () => ({ PATH: shims, HOME: shims, CI: 'true' });

describe('the kubernaut-e2e binary', () => {
  it('refuses bad input with exit 2 before running any external command', async () => {
    const run = await runBin(['up', 'gateway', '--cluster-name=-bad', '--keep', 'sometimes'], onlyShims());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('→ at --cluster-name');
    expect(run.stderr).toContain('→ at --keep');
    expect(existsSync(log)).toBe(false);
  });

  it('--runtime auto stops and says what is missing instead of silently simulating', async () => {
    const run = await runBin(['up', 'gateway'], onlyShims());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('missing: kind, kubectl');
    expect(run.stderr).toContain('--runtime sim');
    // Only version probes ran: nothing was built or created.
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    expect(calls).toEqual(['podman --version']);
  });

  it('on SIGINT cancels the run, cleans up and exits 130', async () => {
    let signalled = false;
    const run = await runBin(
      ['up', 'gateway', '--runtime', 'sim', '--realtime', '20'],
      onlyShims(),
      (text, kill) => {
        // One SIGINT only: a second one means "exit now, skip the cleanup".
        if (!signalled && /▶ build .*gateway/.test(text)) {
          signalled = true;
          kill();
        }
      },
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('Interrupted: everything this run created was cleaned up.');
  });
});
