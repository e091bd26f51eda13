/**
 * `pnpm bench:registry` — registry mode against one multi-image archive load, both with real engines (podman and
 * a private dockerd) side by side in one run. The archive way: `loadImagesToKind` (one `save`, one import into a
 * real containerd, as a kind node does, skipping what the node holds). The registry way: every image pushed by
 * `createRegistryImageLoader` (one call per image, concurrently, as the plan's push steps call it) to Debian's
 * `docker-registry`, then pulled by a real containerd through the `hosts.toml` a node gets.
 * Workload: the benchmarks' four service images (the fixture project's own are a few KiB each, too small to move
 * measurable bytes), each a shared 20 MiB base layer plus its own 256 KiB layer, cold (empty registry, empty node), then again after a
 * one-layer change to one image (the same registry and node). Bytes moved: the archive's size (written once,
 * read once by the import; counted once); for the registry, every byte of the pushes and pulls on the wire,
 * counted by a TCP relay in front of it. Like the kubelet with the pod specs' `imagePullPolicy: IfNotPresent`,
 * the node pulls only images it does not hold.
 * Target after the change: registry ≤ 0.2× the bytes and ≤ 0.5× the time of the archive. Median of BENCH_RUNS (5).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { registryHostsDir, registryHostsToml } from '@kubernaut-e2e/cluster';
import { createCommandRunner, parseRegistryAddress } from '@kubernaut-e2e/core';
import { createRegistryImageLoader, loadImagesToKind } from '@kubernaut-e2e/kind-loader';
import { KindNodeEmulator, startLocalRegistry, startPrivateContainerd } from '@kubernaut-e2e/test-harness';
import {
  BASE_BYTES,
  type BenchEngine,
  buildWorkload,
  cleanUp,
  median,
  mib,
  RunLedger,
  row,
  startCountingProxy,
  startEngines,
} from './bench-support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CLUSTER = 'registry-bench';
const TARGET_BYTES = 0.2;
const TARGET_TIME = 0.5;

interface Sample {
  readonly ms: number;
  readonly bytes: number;
  /** Registry way: the push part of `ms` (the rest is the node's pulls). */
  readonly pushMs?: number;
}
type Phase = 'cold' | 'changed';
type Way = 'archive' | 'registry';
type Samples = Record<Phase, Record<Way, Sample[]>>;

async function oneRun(
  bench: BenchEngine,
  refsByPhase: () => Promise<Record<Phase, readonly string[]>>,
  samples: Samples,
  order: Way[],
  /** The IDs the builds reported, as the plan's load step passes them. */
  imageIds: Readonly<Record<string, string>>,
) {
  const real = createCommandRunner();
  const ledger = new RunLedger();
  const registry = await startLocalRegistry({ runner: real });
  const archiveNode = await startPrivateContainerd(real);
  const registryNode = await startPrivateContainerd(real);
  const proxy = await startCountingProxy(registry.port);
  try {
    // Engines push to, and the node pulls from, the relay: every byte either way is counted.
    const host = `localhost:${proxy.port}`;
    const address = parseRegistryAddress(host);
    const hostsDir = join(registryNode.dir, 'certs.d');
    await mkdir(join(hostsDir, basename(registryHostsDir(address))), { recursive: true });
    await writeFile(
      join(hostsDir, basename(registryHostsDir(address)), 'hosts.toml'),
      registryHostsToml(`http://127.0.0.1:${proxy.port}`),
    );
    // A new engine per run, as each CLI run has: what docker's pushes must find out (its daemon's socket) is
    // found out again. A setup makes the loader before its builds, which outlast that; here it is awaited.
    const engine = bench.fresh();
    const loader = createRegistryImageLoader({ engine, registry: host });
    await engine.preparePush?.();
    const emulator = new KindNodeEmulator(bench.runner, archiveNode, CLUSTER);

    const archiveWay = async (refs: readonly string[]): Promise<Sample> => {
      const before = emulator.archives.length;
      const start = performance.now();
      await loadImagesToKind(refs, CLUSTER, {
        engine: bench.engine,
        runner: emulator,
        ledger,
        cluster: { listNodeImages: () => archiveNode.imageNames() },
      });
      const ms = performance.now() - start;
      return { ms, bytes: emulator.archives.slice(before).reduce((sum, a) => sum + a.bytes, 0) };
    };
    const registryWay = async (refs: readonly string[]): Promise<Sample> => {
      const before = proxy.bytes();
      // What the node holds, read before the clock starts: the kubelet knows it by a call inside containerd's
      // CRI, where the emulation needs a `ctr` process. (The archive way's listing stays timed: our loader
      // really runs a process in the node for it.)
      const held = new Set(await registryNode.imageNames());
      const start = performance.now();
      const reports = await Promise.all(
        refs.map((ref) => loader.load([ref], CLUSTER, undefined, { imageIds })),
      );
      const pushMs = performance.now() - start;
      const podRefs = reports.map((r, i) => r.podRefs![refs[i]!]!);
      // Pods start together, so the kubelet pulls their images concurrently, each only if the node lacks it.
      await Promise.all(
        podRefs
          .filter((podRef) => !held.has(podRef))
          .map((podRef) => registryNode.ctr(['images', 'pull', '--hosts-dir', hostsDir, podRef])),
      );
      const ms = performance.now() - start;
      return { ms, bytes: proxy.bytes() - before, pushMs };
    };

    const refs = await refsByPhase();
    for (const phase of ['cold', 'changed'] as const) {
      for (const way of order) {
        samples[phase][way].push(await (way === 'archive' ? archiveWay : registryWay)(refs[phase]));
      }
    }
    const names = await registryNode.imageNames();
    for (const ref of refs.changed) {
      if (!names.includes(loader.podRef(ref))) throw new Error(`the node did not pull ${loader.podRef(ref)}`);
    }
  } finally {
    await cleanUp(ledger);
    await proxy.stop();
    await Promise.all([archiveNode.stop(), registryNode.stop(), registry.stop()]);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const real = createCommandRunner();
  const ledger = new RunLedger();
  const root = await mkdtemp(join(tmpdir(), 'kubernaut-registry-bench-'));
  const { engines, stop } = await startEngines(real);
  const results = new Map<string, Samples>();
  try {
    for (const bench of engines) {
      const workload = await buildWorkload(bench, root, ledger, 'kubernaut-e2e-bench');
      const samples: Samples = {
        cold: { archive: [], registry: [] },
        changed: { archive: [], registry: [] },
      };
      for (let run = 0; run < RUNS; run++) {
        // The one-layer change is built before the timed part; alternating the order spreads page-cache warmth.
        const changed = await workload.changeOneLayer(`run-${run}-`);
        await oneRun(
          bench,
          async () => ({ cold: workload.refs, changed }),
          samples,
          run % 2 ? ['registry', 'archive'] : ['archive', 'registry'],
          workload.imageIds,
        );
      }
      results.set(bench.name, samples);
    }
  } finally {
    await cleanUp(ledger);
    await stop();
    await rm(root, { recursive: true, force: true });
  }

  console.log(
    `4 images sharing a ${mib(BASE_BYTES)} base layer; median of ${RUNS} runs; fresh registry and nodes per run`,
  );
  const widths = [8, 9, 22, 22, 12, 12];
  console.log(row(['engine', 'phase', 'archive load', 'registry push+pull', 'bytes ×', 'time ×'], widths));
  const verdicts: string[] = [];
  for (const [engine, samples] of results) {
    for (const phase of ['cold', 'changed'] as const) {
      const a = {
        ms: median(samples[phase].archive.map((s) => s.ms)),
        bytes: median(samples[phase].archive.map((s) => s.bytes)),
      };
      const r = {
        ms: median(samples[phase].registry.map((s) => s.ms)),
        bytes: median(samples[phase].registry.map((s) => s.bytes)),
      };
      const bytesRatio = r.bytes / a.bytes;
      const timeRatio = r.ms / a.ms;
      const target = phase === 'changed' ? ` (≤ ${TARGET_BYTES})` : '';
      const timeTarget = phase === 'changed' ? ` (≤ ${TARGET_TIME})` : '';
      if (phase === 'changed')
        verdicts.push(
          `${engine}: bytes ${bytesRatio <= TARGET_BYTES ? 'met' : 'NOT met'}, time ${timeRatio <= TARGET_TIME ? 'met' : 'NOT met'}`,
        );
      console.log(
        row(
          [
            engine,
            phase,
            `${mib(a.bytes)} ${a.ms.toFixed(0)} ms`,
            `${mib(r.bytes)} ${r.ms.toFixed(0)} ms`,
            `${bytesRatio.toFixed(3)}${target}`,
            `${timeRatio.toFixed(2)}${timeTarget}`,
          ],
          widths,
        ),
      );
    }
  }
  for (const [engine, samples] of results) {
    const runs = (list: readonly Sample[]) => list.map((x) => x.ms.toFixed(0)).join(', ');
    const pushes = samples.changed.registry.map((x) => x.pushMs!.toFixed(0)).join(', ');
    console.log(
      `${engine} all runs (ms), after the change — archive: ${runs(samples.changed.archive)}; registry: ${runs(samples.changed.registry)} (of which pushing: ${pushes})`,
    );
  }
  console.log(`targets after the one-layer change — ${verdicts.join('; ')}`);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
