/**
 * `pnpm bench:load` — the seed's way of loading images into kind (one archive and one import per image)
 * against ours (one multi-image archive, one import), with real podman and a real containerd importing
 * exactly as a kind node does. Four images share a ~20 MB base layer of random bytes (`FROM scratch`).
 * Prints medians over several runs; asserts nothing. Cleans up every image, archive and containerd.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CommandRunner, createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
import { buildImageForKind, buildImagesForKind, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { loadImageToKind } from '../load-image.js';
import { loadImagesToKind } from '../load-images.js';
import { KindNodeEmulator } from './kind-node-emulator.js';
import { startPrivateContainerd } from './private-containerd.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BASE_BYTES = 20 * 1024 * 1024;
const SERVICES = ['gateway', 'datastorage', 'notification', 'authwebhook'];
const CLUSTER = 'load-bench';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

interface Sample {
  readonly ms: number;
  readonly bytes: number;
  readonly archives: number;
  readonly names: number;
}

/** One load of every ref into a fresh node; only the load itself is timed. */
async function measure(
  real: CommandRunner,
  load: (runner: KindNodeEmulator, nodeNames: () => Promise<string[]>) => Promise<void>,
): Promise<Sample> {
  const node = await startPrivateContainerd(real);
  try {
    const runner = new KindNodeEmulator(real, node, CLUSTER);
    const start = performance.now();
    await load(runner, () => node.imageNames());
    const ms = performance.now() - start;
    const names = (await node.imageNames()).filter((n) =>
      n.startsWith('localhost/kubernaut-e2e-bench/'),
    ).length;
    return {
      ms,
      bytes: runner.archives.reduce((sum, a) => sum + a.bytes, 0),
      archives: runner.archives.length,
      names,
    };
  } finally {
    await node.stop();
  }
}

async function main(): Promise<void> {
  const real = createCommandRunner();
  const engine = createPodmanEngine(real);
  const ledger = new RunLedger();
  const nonce = randomBytes(6).toString('hex');
  const root = await mkdtemp(join(tmpdir(), 'kubernaut-load-bench-'));
  try {
    await mkdir(join(root, 'base'));
    await writeFile(join(root, 'base/Dockerfile'), 'FROM scratch\nCOPY base.bin /base.bin\n');
    await writeFile(join(root, 'base/base.bin'), randomBytes(BASE_BYTES));
    const base = await buildImageForKind(
      {
        serviceName: 'base',
        imageName: 'kubernaut-e2e-bench/base',
        dockerfilePath: 'base/Dockerfile',
        buildContextPath: 'base',
        tag: `base-${nonce}`,
      },
      { engine, projectRoot: root, ledger, env: {} },
    );
    for (const service of SERVICES) {
      await mkdir(join(root, service));
      await writeFile(join(root, service, 'Dockerfile'), `FROM ${base.ref}\nCOPY app.bin /app.bin\n`);
      await writeFile(join(root, service, 'app.bin'), randomBytes(64 * 1024));
    }
    const images = await buildImagesForKind(
      SERVICES.map((service) => ({
        serviceName: service,
        imageName: `kubernaut-e2e-bench/${service}`,
        dockerfilePath: `${service}/Dockerfile`,
        buildContextPath: service,
        consumer: 'bench',
      })),
      { engine, projectRoot: root, ledger, env: {}, concurrency: 2 },
    );
    const refs = images.map((i) => i.ref);
    console.log(
      `${refs.length} images sharing a ${mib(BASE_BYTES)} base layer; ${RUNS} runs each, fresh containerd per run`,
    );

    const seedWay = (runner: KindNodeEmulator) => async () => {
      for (const [index, ref] of refs.entries()) {
        await loadImageToKind(ref, SERVICES[index]!, CLUSTER, { engine, runner, ledger });
      }
    };
    const oneArchive = (runner: KindNodeEmulator, nodeNames: () => Promise<string[]>) => async () => {
      await loadImagesToKind(refs, CLUSTER, {
        engine,
        runner,
        ledger,
        cluster: { listNodeImages: nodeNames },
      });
    };

    const seed: Sample[] = [];
    const ours: Sample[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Alternate the order so neither way always runs on a warmer page cache.
      const first = run % 2 === 0 ? 'seed' : 'ours';
      for (const way of first === 'seed' ? ['seed', 'ours'] : ['ours', 'seed']) {
        if (way === 'seed') seed.push(await measure(real, (runner) => seedWay(runner)()));
        else ours.push(await measure(real, (runner, names) => oneArchive(runner, names)()));
      }
    }
    for (const sample of [...seed, ...ours]) {
      if (sample.names !== refs.length)
        throw new Error(`a run left ${sample.names} of ${refs.length} images on the node`);
    }

    const seedMs = median(seed.map((s) => s.ms));
    const oursMs = median(ours.map((s) => s.ms));
    const seedBytes = median(seed.map((s) => s.bytes));
    const oursBytes = median(ours.map((s) => s.bytes));
    console.log(
      `seed way (archive + import per image): median ${seedMs.toFixed(0)} ms, ${seed[0]!.archives} archives, ${mib(seedBytes)} written to temp disk`,
    );
    console.log(
      `one multi-image archive + one import:  median ${oursMs.toFixed(0)} ms, ${ours[0]!.archives} archive,  ${mib(oursBytes)} written to temp disk`,
    );
    console.log(`speed-up: ${(seedMs / oursMs).toFixed(2)}× (target ≥ 2×)`);
    console.log(`bytes written: ${(oursBytes / seedBytes).toFixed(2)}× of the seed's (target ≤ 0.5×)`);
    console.log(
      `all runs (ms) — seed: ${seed.map((s) => s.ms.toFixed(0)).join(', ')}; ours: ${ours.map((s) => s.ms.toFixed(0)).join(', ')}`,
    );
  } finally {
    const report = await ledger.cleanup();
    await rm(root, { recursive: true, force: true });
    if (report.failed.length)
      console.error(
        'cleanup failures:',
        report.failed.map((f) => `${f.name}: ${f.error.message}`),
      );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
