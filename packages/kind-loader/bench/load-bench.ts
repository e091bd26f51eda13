/**
 * `pnpm bench:load` — the seed's way of loading images into kind (one archive and one import per image)
 * against ours (one multi-image archive, one import), with both real engines side by side in one run (podman,
 * and docker against a private dockerd) and a real containerd importing exactly as a kind node does. Four images
 * share a 20 MiB base layer of random bytes (`FROM scratch`). Prints medians over BENCH_RUNS (3) runs per engine;
 * asserts nothing. Cleans up every image, archive, containerd and the dockerd.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from '@kubernaut-e2e/bench-support';
import { type CommandRunner, createCommandRunner } from '@kubernaut-e2e/core';
// The package's public API, as a user would call it (and as `bench-dist/` can import it from `dist/`).
import { loadImagesToKind, loadImageToKind } from '@kubernaut-e2e/kind-loader';
import { KindNodeEmulator, startPrivateContainerd } from '@kubernaut-e2e/test-harness';
import {
  BASE_BYTES,
  type BenchEngine,
  benchFailed,
  buildWorkload,
  cleanUp,
  mib,
  RunLedger,
  row,
  SERVICES,
  startEngines,
  stopEverythingOnSignal,
  untilStopped,
} from './bench-support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLUSTER = 'load-bench';

interface Sample {
  readonly ms: number;
  readonly bytes: number;
  readonly archives: number;
}

/** One load of every ref into a fresh node; only the load itself is timed. */
async function measure(
  runner: CommandRunner,
  refs: readonly string[],
  load: (emulator: KindNodeEmulator, nodeNames: () => Promise<string[]>) => Promise<void>,
): Promise<Sample> {
  const node = await startPrivateContainerd(createCommandRunner());
  const stopNode = untilStopped(`containerd ${node.dir}`, () => node.stop());
  try {
    const emulator = new KindNodeEmulator(runner, node, CLUSTER);
    const start = performance.now();
    await load(emulator, () => node.imageNames());
    const ms = performance.now() - start;
    const names = await node.imageNames();
    const missing = refs.filter((ref) => !names.some((n) => n.endsWith(ref.slice(ref.indexOf('/')))));
    if (missing.length) throw new Error(`a run left ${missing.join(', ')} off the node`);
    return {
      ms,
      bytes: emulator.archives.reduce((sum, a) => sum + a.bytes, 0),
      archives: emulator.archives.length,
    };
  } finally {
    await stopNode();
  }
}

async function benchEngine(bench: BenchEngine, root: string, ledger: RunLedger) {
  const { refs } = await buildWorkload(bench, root, ledger, 'kubernaut-e2e-bench');
  const options = { engine: bench.engine, ledger };
  const seedWay = (emulator: KindNodeEmulator) => async () => {
    for (const [index, ref] of refs.entries()) {
      await loadImageToKind(ref, SERVICES[index]!, CLUSTER, { ...options, runner: emulator });
    }
  };
  const oneArchive = (emulator: KindNodeEmulator, nodeNames: () => Promise<string[]>) => () =>
    loadImagesToKind(refs, CLUSTER, {
      ...options,
      runner: emulator,
      cluster: { listNodeImages: nodeNames },
    }).then(() => undefined);
  const seed: Sample[] = [];
  const ours: Sample[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order so neither way always runs on a warmer page cache.
    for (const way of run % 2 === 0 ? ['seed', 'ours'] : ['ours', 'seed']) {
      if (way === 'seed') seed.push(await measure(bench.runner, refs, (e) => seedWay(e)()));
      else ours.push(await measure(bench.runner, refs, (e, names) => oneArchive(e, names)()));
    }
  }
  return { seed, ours };
}

async function main(): Promise<void> {
  const started = performance.now();
  const real = createCommandRunner();
  stopEverythingOnSignal();
  const root = await mkdtemp(join(tmpdir(), 'kubernaut-load-bench-'));
  const removeRoot = untilStopped(`directory ${root}`, () => rm(root, { recursive: true, force: true }));
  const { engines, stop } = await startEngines(real);
  // After the engines: on a signal, newest first, the images go before the dockerd that holds docker's.
  const ledger = new RunLedger();
  const cleanUpBuilds = untilStopped('built images', () => cleanUp(ledger));
  const results: { engine: string; seed: Sample[]; ours: Sample[] }[] = [];
  try {
    for (const bench of engines)
      results.push({ engine: bench.name, ...(await benchEngine(bench, root, ledger)) });
  } finally {
    await cleanUpBuilds();
    await stop();
    await removeRoot();
  }

  console.log(
    `4 images sharing a ${mib(BASE_BYTES)} base layer; median of ${RUNS} runs; fresh containerd per run`,
  );
  const widths = [8, 30, 30, 18, 20];
  console.log(
    row(
      [
        'engine',
        'seed: archive+import per image',
        'ours: one archive, one import',
        'speed-up (≥ 2×)',
        'bytes (≤ 0.5×)',
      ],
      widths,
    ),
  );
  for (const { engine, seed, ours } of results) {
    const seedMs = median(seed.map((s) => s.ms));
    const oursMs = median(ours.map((s) => s.ms));
    const seedBytes = median(seed.map((s) => s.bytes));
    const oursBytes = median(ours.map((s) => s.bytes));
    console.log(
      row(
        [
          engine,
          `${seedMs.toFixed(0)} ms, ${seed[0]!.archives} archives, ${mib(seedBytes)}`,
          `${oursMs.toFixed(0)} ms, ${ours[0]!.archives} archive, ${mib(oursBytes)}`,
          `${(seedMs / oursMs).toFixed(2)}×`,
          `${(oursBytes / seedBytes).toFixed(2)}× of the seed's`,
        ],
        widths,
      ),
    );
    console.log(
      `         all runs (ms) — seed: ${seed.map((s) => s.ms.toFixed(0)).join(', ')}; ours: ${ours.map((s) => s.ms.toFixed(0)).join(', ')}`,
    );
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch(benchFailed);
