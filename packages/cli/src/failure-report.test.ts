import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultOutputDir } from '@kubernaut-e2e/setup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, WORKSPACE_CONFIG } from './testing-internal/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-failure-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const faults = (plan: unknown) => ({
  KUBERNAUT_E2E_SIM_FAULTS: JSON.stringify(plan),
  XDG_STATE_HOME: join(dir, 'state'),
});
/** Where a run from `cwd` writes what it finds out (the state folder, outside the project). */
const outputOf = (cwd: string) => defaultOutputDir('gateway', cwd, { XDG_STATE_HOME: join(dir, 'state') });

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
    const diagnostics = join(outputOf(cwd), 'diagnostics');
    const [runDir] = await readdir(diagnostics);
    const runPath = join(diagnostics, runDir!);
    expect(run.stderr).toContain(`Diagnostics: ${runPath}`);
    expect(run.stderr).toMatch(/gateway-[a-z0-9-]+/);
    expect(run.stderr).toContain('panic: REDIS_ADDR is not set');
    expect(existsSync(join(runPath, 'pods.json'))).toBe(true);
    const html = await readFile(join(outputOf(cwd), 'timeline.html'), 'utf8');
    expect(html).toContain(runPath);
  });

  it('prints a result for a failed run too (--output json): the step, the causes, the diagnostics, what is left', async () => {
    const cwd = await mkdtemp(join(dir, 'json-'));
    const crash = faults([
      { op: 'container', target: 'gateway', fail: true, message: 'panic: config missing' },
    ]);
    const run = await runCli(
      [
        'up',
        'gateway',
        '--runtime',
        'sim',
        '--output',
        'json',
        '--keep',
        'on-failure',
        '--config',
        WORKSPACE_CONFIG,
      ],
      crash,
      undefined,
      cwd,
    );
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      schemaVersion: 1,
      command: 'up',
      ok: false,
      service: 'gateway',
      interrupted: false,
      error: { code: 'KE_STEP', step: 'ready:gateway' },
    });
    expect(result.runId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    expect(result.diagnosticsDir).toBe(join(outputOf(cwd), 'diagnostics', result.runId));
    expect(JSON.stringify(result.causes)).toContain('panic: config missing');
    // Kept to debug it: the cluster and its files are left, with the command that removes them.
    expect(result.leftRunning).toContainEqual({
      kind: 'cluster',
      name: 'gateway-e2e',
      remove: 'kubernaut-e2e down gateway',
    });

    const refused = await runCli(
      ['up', 'nosuch', '--runtime', 'sim', '--output', 'json', '--config', WORKSPACE_CONFIG],
      {},
      undefined,
      cwd,
    );
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      ok: false,
      service: 'nosuch',
      error: { code: 'KE_CONFIG' },
      leftRunning: [],
    });
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
      faults([]),
      undefined,
      cwd,
    );
    expect(run.code).toBe(0);
    expect(existsSync(join(outputOf(cwd), 'trace.json'))).toBe(true);
    expect(existsSync(join(outputOf(cwd), 'diagnostics'))).toBe(false);
    expect(existsSync(join(outputOf(cwd), 'coverage'))).toBe(false);
    // Nothing in the project: its build context is unchanged by a run.
    expect(await readdir(cwd)).toEqual([]);
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
