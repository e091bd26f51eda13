import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ContainerEngine, RunLedger } from '@kubernaut-e2e/core';
import { buildImagesForKind } from '../build-images.js';

/** What an engine holds besides the test's base image (a private store or daemon: all of it is the test's). */
export interface EngineContents {
  readonly images: readonly string[];
  readonly containers: readonly string[];
}

export interface CancelLoopResult {
  readonly run: number;
  readonly images: number;
  readonly containers: number;
  readonly cleanupFailed: number;
}

/**
 * A failing run with builds in flight, `runs` times: one image's build fails at once (a COPY of a missing file) while
 * its sibling is somewhere in a long row of quick steps (a RUN, a LABEL, a RUN, …) — wherever the failure catches it:
 * running a step, committing one, between two. After each run's ledger cleanup it counts what the engine still holds,
 * then clears it so the next run starts empty. Fresh content every run: no step is a cache hit.
 */
export async function failingRunsWithSiblingInFlight(options: {
  readonly engine: (ledger: RunLedger) => ContainerEngine;
  readonly root: string;
  readonly baseRef: string;
  readonly nonce: string;
  readonly runs: number;
  readonly steps: number;
  readonly contents: () => Promise<EngineContents>;
  readonly clear: (left: EngineContents) => Promise<void>;
}): Promise<CancelLoopResult[]> {
  const { root, baseRef, nonce } = options;
  const results: CancelLoopResult[] = [];
  for (let run = 0; run < options.runs; run++) {
    const dir = join(root, `run-${run}`);
    await mkdir(dir, { recursive: true });
    const steps = Array.from({ length: options.steps }, (_, i) =>
      i % 2 === 0 ? `RUN echo ${nonce}-${run}-${i} > /step-${i}` : `LABEL step-${i}="${nonce}-${run}"`,
    );
    await writeFile(join(dir, 'long.Dockerfile'), `FROM ${baseRef}\n${steps.join('\n')}\n`);
    await writeFile(
      join(dir, 'broken.Dockerfile'),
      `FROM ${baseRef}\nRUN echo ${nonce}-${run} > /first\nCOPY no-such-file-${run} /x\n`,
    );
    const ledger = new RunLedger();
    const error = await buildImagesForKind(
      [
        {
          serviceName: 'long',
          imageName: 'kubernaut-e2e-test/loop-long',
          dockerfilePath: `run-${run}/long.Dockerfile`,
          buildContextPath: `run-${run}`,
        },
        {
          serviceName: 'broken',
          imageName: 'kubernaut-e2e-test/loop-broken',
          dockerfilePath: `run-${run}/broken.Dockerfile`,
          buildContextPath: `run-${run}`,
        },
      ],
      { engine: options.engine(ledger), projectRoot: root, env: {}, ledger, concurrency: 2 },
    ).catch((e: unknown) => e);
    if (!(error instanceof Error) || !error.message.includes(`no-such-file-${run}`))
      throw new Error(`run ${run}: expected the broken build to fail the run, got ${String(error)}`);
    const cleanup = await ledger.cleanup();
    const left = await options.contents();
    results.push({
      run,
      images: left.images.length,
      containers: left.containers.length,
      cleanupFailed: cleanup.failed.length,
    });
    // A run's leftovers must not be counted again in the next one.
    await options.clear(left);
  }
  return results;
}
