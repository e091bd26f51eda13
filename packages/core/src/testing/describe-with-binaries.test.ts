import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCommandRunner } from '../runner/create-command-runner.js';
import { CHILD_PROCESS_TIMEOUT_MS } from '../testing-internal/processes.js';
import { describeWithBinaries, missingBinariesMessage } from './describe-with-binaries.js';

const bin = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-bin-test-'));
writeFileSync(join(bin, 'fake-podman'), '#!/bin/sh\nexit 0\n');
chmodSync(join(bin, 'fake-podman'), 0o755);
writeFileSync(join(bin, 'not-executable'), 'data');
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('missingBinariesMessage', () => {
  it('is undefined when every binary is an executable file on PATH', () => {
    expect(missingBinariesMessage(['fake-podman'], {}, bin)).toBeUndefined();
  });

  it('names each missing binary and the apt packages that provide them', () => {
    const message = missingBinariesMessage(
      ['fake-podman', 'ctr', 'psql'],
      { ctr: 'containerd', psql: 'postgresql-client' },
      bin,
    );
    expect(message).toBe(
      'requires `ctr`, `psql`, not found on PATH — install with `apt-get install -y containerd postgresql-client`',
    );
  });

  it('treats a non-executable file as missing', () => {
    expect(missingBinariesMessage(['not-executable'], {}, bin)).toContain('`not-executable`');
  });
});

// The real thing, on this machine: `node` is always present, so this suite runs.
describeWithBinaries(['node'], { node: 'nodejs' }, ({ paths }) => {
  it('hands the suite the absolute path of each binary', () => {
    expect(paths.node).toMatch(/^\/.*\/node$/);
  });
});

describe('describeWithBinaries with a missing binary (in a child vitest)', () => {
  const root = resolve(import.meta.dirname, '../../../..');
  const config = resolve(import.meta.dirname, '__fixtures__/missing-binary/vitest.config.mjs');
  const runner = createCommandRunner();
  const runSuite = (ci: string | undefined) =>
    runner
      .run(
        process.execPath,
        [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config, '--reporter', 'verbose'],
        {
          cwd: root,
          env: { CI: ci, NO_COLOR: '1', FORCE_COLOR: undefined },
          timeoutMs: CHILD_PROCESS_TIMEOUT_MS,
        },
      )
      .then(
        (r) => ({ exitCode: r.exitCode, output: r.stdout + r.stderr }),
        (e: { exitCode?: number; cause?: { stdout?: string; stderr?: string } }) => ({
          exitCode: e.exitCode,
          output: `${e.cause?.stdout ?? ''}${e.cause?.stderr ?? ''}`,
        }),
      );

  it(
    'skips the suite locally, with a title naming the binary and the apt package',
    async () => {
      const { exitCode, output } = await runSuite(undefined);
      expect(exitCode).toBe(0);
      expect(output).toContain('1 skipped');
      expect(output).toContain('apt-get install -y absent-tool-pkg');
    },
    CHILD_PROCESS_TIMEOUT_MS,
  );

  it(
    'fails instead of skipping when CI=true',
    async () => {
      const { exitCode, output } = await runSuite('true');
      expect(exitCode).toBe(1);
      expect(output).toContain('cannot run in CI');
      expect(output).toContain('`kubernaut-e2e-absent-tool`');
      expect(output).toContain('apt-get install -y absent-tool-pkg');
    },
    CHILD_PROCESS_TIMEOUT_MS,
  );
});
