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
 * counted by a TCP relay in front of a second registry and node that get the same pushes and pulls right after
 * the timed ones. The relay is an instrument: on the clock it would add a relayed connection to every request of
 * the registry way and nothing to the archive way, so the clock times the pushes and pulls straight to the
 * registry, as a user's go (the relayed times are printed beside them). Like the kubelet with the pod specs'
 * `imagePullPolicy: IfNotPresent`, the node pulls only images it does not hold.
 * Target after the change: registry ≤ 0.2× the bytes and ≤ 0.5× the time of the archive. Median of BENCH_RUNS (5).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from '@kubernaut-e2e/bench-support';
import { registryHostsDir, registryHostsToml } from '@kubernaut-e2e/cluster';
import { type ContainerEngine, createCommandRunner, parseRegistryAddress } from '@kubernaut-e2e/core';
import { createRegistryImageLoader, loadImagesToKind } from '@kubernaut-e2e/kind-loader';
import {
  KindNodeEmulator,
  type PrivateContainerd,
  startLocalRegistry,
  startPrivateContainerd,
} from '@kubernaut-e2e/test-harness';
import {
  BASE_BYTES,
  type BenchEngine,
  benchFailed,
  buildWorkload,
  cleanUp,
  mib,
  RunLedger,
  row,
  startCountingProxy,
  startEngines,
  stopEverythingOnSignal,
  untilStopped,
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
  /** Registry way: the same pushes and pulls through the byte-counting relay (not what `ms` holds). */
  readonly relayedMs?: number;
}
type Phase = 'cold' | 'changed';
type Way = 'archive' | 'registry';
type Samples = Record<Phase, Record<Way, Sample[]>>;

/** A registry, the loader that pushes to it, and a node pulling from it through the `hosts.toml` a kind node gets. */
interface RegistrySide {
  readonly loader: ReturnType<typeof createRegistryImageLoader>;
  readonly hostsDir: string;
  readonly node: PrivateContainerd;
  /** Bytes on the wire so far (0 for the side nobody counts). */
  bytes(): number;
  stop(): Promise<void>;
}

/**
 * `counted`: the engine pushes to, and the node pulls from, a relay that counts every byte either way. Not counted:
 * straight to the registry, as a user's pushes go; only this side is timed, so an instrument the archive way does
 * not have (~20 ms of relayed connections per push) stays off the clock.
 */
async function startRegistrySide(engine: ContainerEngine, counted: boolean): Promise<RegistrySide> {
  const real = createCommandRunner();
  const registry = await startLocalRegistry({ runner: real });
  const stopRegistry = untilStopped(`registry ${registry.dir}`, () => registry.stop());
  const node = await startPrivateContainerd(real);
  const stopNode = untilStopped(`containerd ${node.dir}`, () => node.stop());
  const proxy = counted ? await startCountingProxy(registry.port) : undefined;
  const port = proxy?.port ?? registry.port;
  const host = `localhost:${port}`;
  const hostsDir = join(node.dir, 'certs.d');
  const hostDir = join(hostsDir, basename(registryHostsDir(parseRegistryAddress(host))));
  await mkdir(hostDir, { recursive: true });
  await writeFile(join(hostDir, 'hosts.toml'), registryHostsToml(`http://127.0.0.1:${port}`));
  return {
    loader: createRegistryImageLoader({ engine, registry: host }),
    hostsDir,
    node,
    bytes: () => proxy?.bytes() ?? 0,
    async stop() {
      await proxy?.stop();
      await Promise.all([stopNode(), stopRegistry()]);
    },
  };
}

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
  const cleanUpRun = untilStopped(`run ${ledger.runId}`, () => cleanUp(ledger));
  const archiveNode = await startPrivateContainerd(real);
  const stopArchiveNode = untilStopped(`containerd ${archiveNode.dir}`, () => archiveNode.stop());
  // A new engine per run, as each CLI run has: what docker's pushes must find out (its daemon's socket) is
  // found out again. A setup makes the loader before its builds, which outlast that; here it is awaited.
  const engine = bench.fresh();
  const timed = await startRegistrySide(engine, false);
  const counted = await startRegistrySide(engine, true);
  try {
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
    const registryPass = async (side: RegistrySide, refs: readonly string[]) => {
      const before = side.bytes();
      // What the node holds, read before the clock starts: the kubelet knows it by a call inside containerd's
      // CRI, where the emulation needs a `ctr` process. (The archive way's listing stays timed: our loader
      // really runs a process in the node for it.)
      const held = new Set(await side.node.imageNames());
      const start = performance.now();
      const reports = await Promise.all(
        refs.map((ref) => side.loader.load([ref], CLUSTER, undefined, { imageIds })),
      );
      const pushMs = performance.now() - start;
      const podRefs = reports.map((r, i) => r.podRefs![refs[i]!]!);
      // Pods start together, so the kubelet pulls their images concurrently, each only if the node lacks it.
      // `--debug`: without it `ctr` draws a progress display and exits only at its next 100 ms tick after the
      // pull ends; the kubelet's pull (a CRI call) has no such wait. The debug log goes to stderr, unread.
      await Promise.all(
        podRefs
          .filter((podRef) => !held.has(podRef))
          .map((podRef) =>
            side.node.ctr(['--debug', 'images', 'pull', '--hosts-dir', side.hostsDir, podRef]),
          ),
      );
      return { ms: performance.now() - start, pushMs, bytes: side.bytes() - before };
    };
    const registryWay = async (refs: readonly string[]): Promise<Sample> => {
      const clocked = await registryPass(timed, refs);
      const relayed = await registryPass(counted, refs);
      return { ms: clocked.ms, pushMs: clocked.pushMs, bytes: relayed.bytes, relayedMs: relayed.ms };
    };

    const refs = await refsByPhase();
    for (const phase of ['cold', 'changed'] as const) {
      for (const way of order) {
        samples[phase][way].push(await (way === 'archive' ? archiveWay : registryWay)(refs[phase]));
      }
    }
    for (const side of [timed, counted]) {
      const names = await side.node.imageNames();
      for (const ref of refs.changed) {
        const podRef = side.loader.podRef(ref);
        if (!names.includes(podRef)) throw new Error(`the node did not pull ${podRef}`);
      }
    }
  } finally {
    await cleanUpRun();
    await Promise.all([stopArchiveNode(), timed.stop(), counted.stop()]);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const real = createCommandRunner();
  stopEverythingOnSignal();
  const root = await mkdtemp(join(tmpdir(), 'kubernaut-registry-bench-'));
  const removeRoot = untilStopped(`directory ${root}`, () => rm(root, { recursive: true, force: true }));
  const { engines, stop } = await startEngines(real);
  // After the engines: on a signal, newest first, the images go before the dockerd that holds docker's.
  const ledger = new RunLedger();
  const cleanUpBuilds = untilStopped('built images', () => cleanUp(ledger));
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
    await cleanUpBuilds();
    await stop();
    await removeRoot();
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
    const relayed = samples.changed.registry.map((x) => x.relayedMs!.toFixed(0)).join(', ');
    console.log(
      `${engine} all runs (ms), after the change — archive: ${runs(samples.changed.archive)}; registry: ${runs(samples.changed.registry)} (of which pushing: ${pushes}; through the counting relay: ${relayed})`,
    );
  }
  console.log(`targets after the one-layer change — ${verdicts.join('; ')}`);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch(benchFailed);
