import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandRunner, SERVICE_LABEL } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { type PrivatePodmanStore, startPrivatePodmanStore } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runBin } from '../testing-internal/run-bin.js';

/*
 * `prune --older-than` on real podman, in a private store (prune removes every image carrying the tool's label: the
 * user's build cache must not be what a test prunes). Image ages come from the images themselves (`podman build
 * --timestamp` sets the creation time), so nothing here waits for time to pass.
 */

const DAY_S = 86_400;

describeWithBinaries(['podman'], { podman: 'podman' }, () => {
  const real = createCommandRunner();
  const nonce = randomBytes(4).toString('hex');
  let store: PrivatePodmanStore;
  let context: string;
  const env = () => ({
    PATH: process.env.PATH,
    HOME: context,
    ...store.env,
    // No docker engine to look at: prune must only find podman's images.
    DOCKER_HOST: `unix://${join(context, 'no-docker.sock')}`,
  });

  /** Builds `ref` FROM scratch with one file; `daysOld` back-dates it; `labelled` gives it the tool's label. */
  async function image(ref: string, daysOld: number, labelled: boolean): Promise<void> {
    await writeFile(join(context, 'file.txt'), `${ref} ${nonce}\n`);
    await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY file.txt /file.txt\n');
    const timestamp = Math.floor(Date.now() / 1000) - daysOld * DAY_S;
    await store.runner.run('podman', [
      'build',
      '--timestamp',
      String(timestamp),
      ...(labelled ? ['--label', `${SERVICE_LABEL}=gateway`] : []),
      '--tag',
      ref,
      context,
    ]);
  }

  const exists = (ref: string) =>
    store.runner.run('podman', ['image', 'exists', ref]).then(
      () => true,
      () => false,
    );

  beforeAll(async () => {
    store = await startPrivatePodmanStore(real);
    context = await mkdtemp(join(tmpdir(), 'kubernaut-prune-'));
    await image('localhost/prune-test/old-ours:1', 10, true);
    await image('localhost/prune-test/new-ours:1', 0, true);
    await image('localhost/prune-test/old-not-ours:1', 10, false);
  });

  afterAll(async () => {
    await store?.stop();
    if (context) await rm(context, { recursive: true, force: true });
  });

  it.each(['7', '7x', '-1d', '0d'])(
    'refuses --older-than %j with exit 2 and removes nothing',
    async (bad) => {
      const run = await runBin(['prune', `--older-than=${bad}`], { cwd: context, env: env() });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--older-than');
      expect(await exists('localhost/prune-test/old-ours:1')).toBe(true);
      expect(await exists('localhost/prune-test/new-ours:1')).toBe(true);
    },
  );

  it('removes only labelled images older than --older-than and says how much it freed', async () => {
    const run = await runBin(['prune', '--older-than', '7d'], { cwd: context, env: env() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Removed 1 image\(s\) built by kubernaut-e2e, freed \d+\.\d MiB:\n/);
    expect(run.stdout).toContain('localhost/prune-test/old-ours:1 (podman, ');
    expect(await exists('localhost/prune-test/old-ours:1')).toBe(false);
    expect(await exists('localhost/prune-test/new-ours:1')).toBe(true);
    // Never an image without the tool's label, however old.
    expect(await exists('localhost/prune-test/old-not-ours:1')).toBe(true);

    const json = await runBin(['prune', '--json'], { cwd: context, env: env() });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { removed: string[]; freedBytes: number };
    expect(report.removed).toEqual([expect.stringContaining('localhost/prune-test/new-ours:1 (podman, ')]);
    expect(report.freedBytes).toBeGreaterThan(0);
    expect(await exists('localhost/prune-test/old-not-ours:1')).toBe(true);
  });
});
