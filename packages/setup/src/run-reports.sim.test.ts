import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStream, type LogLine, RunLedger } from '@kubernaut-e2e/core';
import { createSimToolchain, type FaultPlan } from '@kubernaut-e2e/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_PROJECT_ROOT } from './project-root.js';
import { diagnosticsOfFailedSetup } from './run-reports.js';
import { defineService } from './service/define-service.js';
import { failedSetupOf, setupInfrastructure } from './setup-infrastructure.js';

/** A one-deployment service, enough to fail in every way a pod can. */
const api = defineService({
  name: 'api',
  hostPorts: { api: 19180 },
  images: { api: { dockerfile: 'docker/gateway.Dockerfile' } },
  deployments: [
    {
      id: 'api',
      image: 'api',
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'api', nodePort: 30180 },
      probes: { readiness: { path: '/readyz', port: 'http' } },
    },
  ],
});

let outputDir: string;
beforeEach(async () => {
  outputDir = await mkdtemp(join(tmpdir(), 'kubernaut-run-reports-'));
});
afterEach(async () => {
  await rm(outputDir, { recursive: true, force: true });
});

async function failedSetup(faults: FaultPlan) {
  const lines: LogLine[] = [];
  const error = await setupInfrastructure(api, {
    toolchain: createSimToolchain({ faults }),
    projectRoot: FIXTURE_PROJECT_ROOT,
    env: {},
    outputDir,
    log: (line) => lines.push(line),
  }).catch((e: unknown) => e);
  const diagnostics = diagnosticsOfFailedSetup(error);
  expect(diagnostics, String(error)).toBeDefined();
  return { error, diagnostics: diagnostics!, printed: lines.filter((l) => l.source === 'diagnostics') };
}

describe('a failed setup collects diagnostics before its cluster goes', () => {
  it('a crash-looping service: the directory, the pod and its last log lines, in the message lines', async () => {
    const { diagnostics, printed } = await failedSetup([
      { op: 'container', target: 'api', fail: true, message: 'panic: DATA_STORAGE_URL is not set' },
    ]);
    const [runDir] = await readdir(join(outputDir, 'diagnostics'));
    const dir = join(outputDir, 'diagnostics', runDir!);
    expect(diagnostics.report?.dir).toBe(dir);
    const text = diagnostics.lines.join('\n');
    expect(text).toContain(`Diagnostics: ${dir}`);
    expect(text).toMatch(/api-[a-z0-9-]+/);
    expect(text).toContain('panic: DATA_STORAGE_URL is not set');
    // What the run printed is what it found; the files are there to read on.
    expect(printed.map((l) => l.text)).toEqual(diagnostics.lines);
    for (const file of ['pods.json', 'events.json', 'trace.json', 'plan.json', 'findings.txt'])
      expect(existsSync(join(dir, file)), file).toBe(true);
  });

  it('a service that never becomes ready: names the readiness probe', async () => {
    const { diagnostics } = await failedSetup([
      { op: 'container', target: 'api', hang: true, message: 'HTTP probe failed with statuscode: 503' },
    ]);
    expect(diagnostics.lines.join('\n')).toContain('503');
  });

  it('a failed build: the failed step’s output is saved and the timeline gets its stderr tail', async () => {
    const { diagnostics } = await failedSetup([
      { op: 'build', target: 'api', fail: true, message: 'go: cannot find main module' },
    ]);
    const saved = await readFile(join(diagnostics.report!.dir, 'failed-step.error.txt'), 'utf8');
    expect(saved).toContain('go: cannot find main module');
    expect(Object.keys(diagnostics.stderrTails)).toEqual(['build:api']);
  });
});

describe('an interrupted setup', () => {
  it('collects no diagnostics (no folder, no kubectl) but names the step it stopped', async () => {
    const controller = new AbortController();
    const events = new EventStream();
    events.subscribe((event) => {
      if (event.type === 'step-started' && event.stepId === 'build:api')
        controller.abort(new Error('interrupted by SIGINT'));
    });
    const error = await setupInfrastructure(api, {
      toolchain: createSimToolchain({ faults: [{ op: 'build', target: 'api', hang: true }] }),
      projectRoot: FIXTURE_PROJECT_ROOT,
      env: {},
      outputDir,
      events,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(controller.signal.aborted).toBe(true);
    const diagnostics = diagnosticsOfFailedSetup(error);
    expect(diagnostics?.report).toBeUndefined();
    expect(diagnostics?.lines).toEqual([]);
    expect(Object.keys(diagnostics?.stderrTails ?? {})).toContain('build:api');
    expect(existsSync(join(outputDir, 'diagnostics'))).toBe(false);
  });
});

describe('a successful setup', () => {
  it('collects nothing with coverage off', async () => {
    await using infra = await setupInfrastructure(api, {
      toolchain: createSimToolchain(),
      projectRoot: FIXTURE_PROJECT_ROOT,
      env: {},
      outputDir,
    });
    await infra.teardown();
    expect(await readdir(outputDir)).toEqual([]);
  });

  it('with coverage on, copies the coverage data out of the nodes at teardown and says where it went', async () => {
    const lines: LogLine[] = [];
    const infra = await setupInfrastructure(api, {
      runtime: 'sim',
      projectRoot: FIXTURE_PROJECT_ROOT,
      env: {},
      outputDir,
      coverage: true,
      log: (line) => lines.push(line),
    });
    expect(infra.coverageReportDir).toBe(join(outputDir, 'coverage', infra.runId));
    await infra.teardown();
    expect(existsSync(infra.coverageReportDir!)).toBe(true);
    const printed = lines
      .filter((l) => l.source === 'coverage')
      .map((l) => l.text)
      .join('\n');
    expect(printed).toContain(infra.coverageReportDir!);
  });
});

describe('one run id per run', () => {
  it('the ledger’s id is the run’s: it names the diagnostics folder and is the id the failed setup reports', async () => {
    const ledger = new RunLedger();
    const error = await setupInfrastructure(api, {
      toolchain: createSimToolchain({ faults: [{ op: 'container', target: 'api', fail: true }] }),
      ledger,
      projectRoot: FIXTURE_PROJECT_ROOT,
      env: {},
      outputDir,
    }).catch((e: unknown) => e);
    expect(failedSetupOf(error)?.runId).toBe(ledger.runId);
    expect(await readdir(join(outputDir, 'diagnostics'))).toEqual([ledger.runId]);
    expect(diagnosticsOfFailedSetup(error)?.report?.dir).toBe(join(outputDir, 'diagnostics', ledger.runId));
  });

  it('a run that makes its own ledger has the ledger’s kind of id (sortable by start, unique)', async () => {
    await using infra = await setupInfrastructure(api, {
      toolchain: createSimToolchain(),
      projectRoot: FIXTURE_PROJECT_ROOT,
      env: {},
      outputDir,
    });
    expect(infra.runId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
  });
});
