import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, WORKSPACE_CONFIG } from './testing-internal/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-failure-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const faults = (plan: unknown) => ({ KUBERNAUT_E2E_SIM_FAULTS: JSON.stringify(plan) });

describe('a failed up says what went wrong and where the diagnostics are', () => {
  it('a crash-looping gateway: exit 1, the directory, the pod and its last log line; the timeline links them', async () => {
    const cwd = await mkdtemp(join(dir, 'crash-'));
    const run = await runCli(
      ['up', 'gateway', '--runtime', 'sim', '--config', WORKSPACE_CONFIG],
      faults([{ op: 'container', target: 'gateway', fail: true, message: 'panic: REDIS_ADDR is not set' }]),
      undefined,
      cwd,
    );
    expect(run.code).toBe(1);
    const diagnostics = join(cwd, '.kubernaut-e2e', 'gateway', 'diagnostics');
    const [runDir] = await readdir(diagnostics);
    const runPath = join(diagnostics, runDir!);
    expect(run.stderr).toContain(`Diagnostics: ${runPath}`);
    expect(run.stderr).toMatch(/gateway-[a-z0-9-]+/);
    expect(run.stderr).toContain('panic: REDIS_ADDR is not set');
    expect(existsSync(join(runPath, 'pods.json'))).toBe(true);
    const html = await readFile(join(cwd, '.kubernaut-e2e', 'gateway', 'timeline.html'), 'utf8');
    expect(html).toContain(runPath);
  });

  it('a failed migration names the file', async () => {
    const cwd = await mkdtemp(join(dir, 'migrate-'));
    const run = await runCli(
      ['up', 'datastorage', '--runtime', 'sim', '--config', WORKSPACE_CONFIG],
      faults([
        { op: 'migrate', fail: true, message: 'ERROR: syntax error at or near "CREAT" (SQLSTATE 42601)' },
      ]),
      undefined,
      cwd,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Diagnostics:');
    expect(run.stderr).toContain('syntax error');
  });

  it('a run that succeeds collects nothing', async () => {
    const cwd = await mkdtemp(join(dir, 'ok-'));
    const run = await runCli(
      ['up', 'gateway', '--runtime', 'sim', '--config', WORKSPACE_CONFIG],
      {},
      undefined,
      cwd,
    );
    expect(run.code).toBe(0);
    expect(existsSync(join(cwd, '.kubernaut-e2e', 'gateway', 'diagnostics'))).toBe(false);
    expect(existsSync(join(cwd, '.kubernaut-e2e', 'gateway', 'coverage'))).toBe(false);
  });

  it('a fault plan that is not JSON is bad input', async () => {
    const run = await runCli(
      ['up', 'gateway', '--runtime', 'sim', '--config', WORKSPACE_CONFIG],
      { KUBERNAUT_E2E_SIM_FAULTS: '[{op' },
      undefined,
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('→ at KUBERNAUT_E2E_SIM_FAULTS');
  });
});
