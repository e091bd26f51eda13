/**
 * The dev loop's edit → ready, measured: what `pnpm bench:dev` and `pnpm bench:build` share. Starts the loop on a
 * toolchain the caller made (its setup builds and deploys once), then for each run makes one edit and waits for the
 * cycle it starts to report ready. Wall time runs from the write to that report: the watcher, the debounce (on the
 * toolchain's clock), the hashing, the rebuild, the load, the rollout and the readiness wait — minus whatever the
 * toolchain plays on a virtual clock (the simulator), which the caller reads from the cycle's report.
 */
import { performance } from 'node:perf_hooks';
import type { RunLedger } from '@kubernaut-e2e/core';
import type { Toolchain } from '@kubernaut-e2e/orchestrator';
// The package's public API, as a user would call it (and as `bench-dist/` can import it from `dist/`).
import { type DevCycleReport, type DevLoopOptions, type Service, startDevLoop } from '@kubernaut-e2e/setup';

export interface EditToReadyOptions {
  readonly toolchain: Toolchain;
  /** The ledger `toolchain` records into; the loop cleans it up when it stops (images and cluster kept out). */
  readonly ledger: RunLedger;
  readonly projectRoot: string;
  readonly runs: number;
  /** Makes the one-line change of run `run` (0-based); each run's edit must differ from the last. */
  readonly edit: (run: number) => void;
  /** More setup options of the loop (host ports, cluster name, kubeconfig path, output directory…). */
  readonly setup?: Omit<DevLoopOptions, 'toolchain' | 'ledger' | 'projectRoot' | 'onEvent'>;
}

export interface EditToReady {
  /** Each run's cycle report and wall time from the edit to that report. */
  readonly runs: readonly { readonly wallMs: number; readonly report: DevCycleReport }[];
  /** The loop's setup before the first edit (build, cluster, deploy), wall time. */
  readonly setupMs: number;
}

/** Runs the loop for `runs` edits and stops it (the keep policy in `setup.keep` applies; `never` by default). */
export async function measureEditToReady(
  service: Service,
  options: EditToReadyOptions,
): Promise<EditToReady> {
  let finished: ((report: DevCycleReport) => void) | undefined;
  const started = performance.now();
  const dev = await startDevLoop(service, {
    env: {},
    keep: 'never',
    ...options.setup,
    toolchain: options.toolchain,
    ledger: options.ledger,
    projectRoot: options.projectRoot,
    onEvent: (event) => {
      if (event.type === 'cycle-finished') finished?.(event.report);
    },
  });
  const setupMs = performance.now() - started;
  const runs: { wallMs: number; report: DevCycleReport }[] = [];
  try {
    for (let run = 0; run < options.runs; run++) {
      const cycle = new Promise<DevCycleReport>((resolve) => {
        finished = resolve;
      });
      const editedAt = performance.now();
      options.edit(run);
      const report = await cycle;
      if (report.outcome !== 'ready')
        throw new Error(`cycle ${report.cycle} ${report.outcome}: ${report.error?.message}`);
      runs.push({ wallMs: performance.now() - editedAt, report });
    }
  } finally {
    await dev.stop();
  }
  return { runs, setupMs };
}
