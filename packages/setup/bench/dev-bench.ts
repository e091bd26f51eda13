/**
 * `pnpm bench:dev` — the dev loop's edit to ready for a one-line change, on the fixture project: the file watcher,
 * the hashing and the podman rebuild are real and measured; loading into the cluster, the rollout and the readiness
 * wait are predicted by the simulated toolchain (no kind or API server here), and labelled so. Prints the figures;
 * asserts nothing (timings never go into tests).
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCommandRunner, RUN_LABEL, RunLedger } from '@kubernaut-e2e/core';
import { createImageBuilder, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { formatDuration, type Toolchain } from '@kubernaut-e2e/orchestrator';
// The package's public API, as a user would call it (and as `bench-dist/` can import it from `dist/`).
import {
  DEFAULT_DEBOUNCE_MS,
  type DevCycleReport,
  defineService,
  FIXTURE_PROJECT_ROOT,
  startDevLoop,
} from '@kubernaut-e2e/setup';
import { createSimToolchain, PREDICTION_LABEL } from '@kubernaut-e2e/sim';

const RUNS = 5;
/** The gateway's source in the fixture project: the file a developer edits. */
const EDITED = 'cmd/gateway/README.txt';

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The gateway and DataStorage images, as kubernaut builds them: one shared context, the repository root. */
const service = defineService({
  name: 'devbench',
  hostPorts: { gateway: 19280, datastorage: 19281 },
  images: {
    gateway: { dockerfile: 'docker/gateway.Dockerfile' },
    datastorage: { dockerfile: 'docker/data-storage.Dockerfile' },
  },
  deployments: [
    {
      id: 'datastorage',
      image: 'datastorage',
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'datastorage', nodePort: 30281 },
      readyPath: '/readyz',
    },
    {
      id: 'gateway',
      image: 'gateway',
      dependsOn: ['datastorage'],
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'gateway', nodePort: 30280 },
      readyPath: '/readyz',
    },
  ],
});

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kubernaut-dev-bench-'));
  cpSync(FIXTURE_PROJECT_ROOT, root, { recursive: true });
  const runner = createCommandRunner();
  const ledger = new RunLedger();
  const sim = createSimToolchain();
  const podman = createImageBuilder({
    engine: createPodmanEngine(runner),
    projectRoot: root,
    ledger,
    env: {},
  });
  const toolchain: Toolchain = {
    ...sim,
    imageBuilder: {
      // Podman builds for real while virtual time stands still; the simulated cluster then takes the image.
      build: async (config, ctx) => {
        const built = await sim.clock.track(podman.build(config, ctx));
        sim.world.storeImage(built.ref, {});
        return built;
      },
    },
  };
  let finished: ((report: DevCycleReport) => void) | undefined;
  const dev = await startDevLoop(service, {
    toolchain,
    ledger,
    projectRoot: root,
    env: {},
    keep: 'never',
    onEvent: (event) => {
      if (event.type === 'cycle-finished') finished?.(event.report);
    },
  });
  const measured: number[] = [];
  const predicted: number[] = [];
  let last: DevCycleReport | undefined;
  try {
    for (let run = 0; run < RUNS; run++) {
      const cycle = new Promise<DevCycleReport>((resolve) => {
        finished = resolve;
      });
      const editedAt = performance.now();
      appendFileSync(join(root, EDITED), `one-line change ${run} ${process.pid}-${Date.now()}\n`);
      const report = await cycle;
      if (report.outcome !== 'ready')
        throw new Error(`cycle ${report.cycle} ${report.outcome}: ${report.error?.message}`);
      // Wall time covers the watcher, the hashing and the podman build (the simulated phases take none).
      measured.push(performance.now() - editedAt);
      predicted.push((report.phasesMs.load ?? 0) + (report.phasesMs.roll ?? 0));
      last = report;
    }
  } finally {
    await dev.stop();
    await ledger.cleanup();
    const made = (
      await runner.run('podman', ['images', '-a', '--filter', `label=${RUN_LABEL}=${ledger.runId}`, '-q'])
    ).stdout
      .split('\n')
      .filter(Boolean);
    if (made.length > 0) await runner.run('podman', ['rmi', '-f', ...new Set(made)]);
    rmSync(root, { recursive: true, force: true });
  }

  const rebuilt = median(measured);
  const rest = median(predicted);
  const total = rebuilt + DEFAULT_DEBOUNCE_MS + rest;
  console.log(
    `dev loop: edit to ready for a one-line change to ${EDITED} (fixture project, median of ${RUNS})`,
  );
  console.log(
    `  images rebuilt per cycle      ${last?.images.join(', ')} (of gateway, datastorage: one shared context)`,
  );
  console.log(
    `  edit → image rebuilt          ${formatDuration(rebuilt)}  measured: watcher, hashing, podman build`,
  );
  console.log(`  debounce                      ${formatDuration(DEFAULT_DEBOUNCE_MS)}`);
  console.log(`  load + rollout + ready        ${formatDuration(rest)}  ${PREDICTION_LABEL}`);
  console.log(`  edit → ready                  ${formatDuration(total)}`);
}

await main();
