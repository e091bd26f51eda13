import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { buildImageForKind, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runBin, WORKSPACE_CONFIG } from './testing-internal/run-bin.js';

/*
 * kubernaut's Dockerfiles `COPY . .` from the repository root, where people run the CLI. A run's outputs (trace,
 * timeline, diagnostics) must not land there, or every run changes every image's build context and the next build
 * starts over. Real podman builds such an image, two `up`s run from the project root, and the same build is then a
 * cache hit with the same image; a file written into the project (where outputs used to go) is the control.
 */
describeWithBinaries(['podman'], { podman: 'podman' }, () => {
  const engine = createPodmanEngine(createCommandRunner());
  const ledger = new RunLedger();
  const nonce = randomBytes(6).toString('hex');
  let root: string;
  let project: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-context-'));
    project = join(root, 'kubernaut');
    await mkdir(join(project, 'docker'), { recursive: true });
    await writeFile(join(project, 'docker', 'copy-all.Dockerfile'), 'FROM scratch\nCOPY . /src/\n');
    await writeFile(join(project, 'main.go'), `package main // ${nonce}\n`);
  });
  afterAll(async () => {
    await ledger.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  const build = () =>
    buildImageForKind(
      {
        serviceName: 'copy-all',
        imageName: 'kubernaut-e2e-test/copy-all',
        dockerfilePath: 'docker/copy-all.Dockerfile',
        consumer: `context-${nonce}`,
      },
      { engine, projectRoot: project, ledger, env: {} },
    );
  const up = () =>
    runBin(['up', 'gateway', '--runtime', 'sim', '--config', WORKSPACE_CONFIG], {
      cwd: project,
      env: { HOME: join(root, 'home'), CI: 'true' },
    });

  it('two ups from the project root change nothing a `COPY . .` build sees: the next build is a cache hit', async () => {
    const first = await build();
    expect(first.cached).toBe(false);
    for (const run of [await up(), await up()]) expect(run.code, run.stderr).toBe(0);
    // The runs wrote their traces and timelines, outside the project.
    expect(await readdir(project)).toEqual(['docker', 'main.go']);
    const again = await build();
    expect(again).toMatchObject({ ref: first.ref, id: first.id, cached: true });

    // The control: a file where outputs used to go (.kubernaut-e2e/ in the working directory) is a new build.
    await mkdir(join(project, '.kubernaut-e2e', 'gateway'), { recursive: true });
    await writeFile(join(project, '.kubernaut-e2e', 'gateway', 'trace.json'), '{}');
    const changed = await build();
    expect(changed.cached).toBe(false);
    expect(changed.ref).not.toBe(first.ref);
  });
});
