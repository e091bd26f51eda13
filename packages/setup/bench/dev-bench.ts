/**
 * `pnpm bench:dev` — the dev loop's edit to ready for a one-line change, on the fixture project: the file watcher,
 * the hashing and the podman rebuild are real and measured; loading into the cluster, the rollout and the readiness
 * wait are predicted by the simulated toolchain (no kind or API server here), and labelled so. Prints the figures;
 * asserts nothing (timings never go into tests).
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '@kubernaut-e2e/bench-support';
import { createCommandRunner, RUN_LABEL, RunLedger } from '@kubernaut-e2e/core';
import { createImageBuilder, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { formatDuration, type Toolchain } from '@kubernaut-e2e/orchestrator';
// The package's public API, as a user would call it (and as `bench-dist/` can import it from `dist/`).
import { DEFAULT_DEBOUNCE_MS, defineService, FIXTURE_PROJECT_ROOT } from '@kubernaut-e2e/setup';
import { createSimToolchain, PREDICTION_LABEL } from '@kubernaut-e2e/sim';
import { type EditToReady, measureEditToReady } from './dev-edit-to-ready.js';

const RUNS = 5;
/** The gateway's source in the fixture project: the file a developer edits. */
const EDITED = 'cmd/gateway/README.txt';

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
      probes: { readiness: { path: '/readyz', port: 'http' } },
    },
    {
      id: 'gateway',
      image: 'gateway',
      dependsOn: ['datastorage'],
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'gateway', nodePort: 30280 },
      probes: { readiness: { path: '/readyz', port: 'http' } },
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
  let result: EditToReady;
  try {
    result = await measureEditToReady(service, {
      toolchain,
      ledger,
      projectRoot: root,
      runs: RUNS,
      edit: (run) =>
        appendFileSync(join(root, EDITED), `one-line change ${run} ${process.pid}-${Date.now()}\n`),
    });
  } finally {
    await ledger.cleanup();
    const made = (
      await runner.run('podman', ['images', '-a', '--filter', `label=${RUN_LABEL}=${ledger.runId}`, '-q'])
    ).stdout
      .split('\n')
      .filter(Boolean);
    if (made.length > 0) await runner.run('podman', ['rmi', '-f', ...new Set(made)]);
    rmSync(root, { recursive: true, force: true });
  }
  // Wall time covers the watcher, the hashing and the podman build (the simulated phases take none).
  const measured = result.runs.map((r) => r.wallMs);
  const predicted = result.runs.map((r) => (r.report.phasesMs.load ?? 0) + (r.report.phasesMs.roll ?? 0));
  const last = result.runs.at(-1)?.report;

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
