/**
 * `pnpm bench:hash` — what the build cache costs on an unchanged 5,000-file context, against a real
 * build of the same context. Prints the figures; asserts nothing (timings never go into tests).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from '@kubernaut-e2e/bench-support';
import { createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
// The package's public API, as a user would call it (and as `bench-dist/` can import it from `dist/`).
import { buildImageForKind, createPodmanEngine, hashBuildInputs } from '@kubernaut-e2e/image-builder';

const FILES = 5_000;
const RUNS = 5;

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function makeContext(root: string): Promise<number> {
  let bytes = 0;
  // A Go-service-like tree: 50 packages × 100 files of 200 B – 8 KiB.
  for (let p = 0; p < FILES / 100; p++) {
    const dir = join(root, 'pkg', `p${p}`);
    await mkdir(dir, { recursive: true });
    await Promise.all(
      Array.from({ length: 100 }, (_, f) => {
        const content = `package p${p}\n// file ${f}\n${'x'.repeat(200 + (((p * 100 + f) * 37) % 8000))}\n`;
        bytes += content.length;
        return writeFile(join(dir, `f${f}.go`), content);
      }),
    );
  }
  // A fresh nonce per run: an image left by an earlier run must not turn the timed build into a cache hit.
  await writeFile(join(root, 'pkg', 'nonce.txt'), randomBytes(16).toString('hex'));
  await writeFile(join(root, 'Dockerfile'), 'FROM scratch\nCOPY pkg /src/pkg\n');
  return bytes;
}

async function timed<T>(task: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await task();
  return [result, performance.now() - start];
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'kubernaut-hash-bench-'));
  const ledger = new RunLedger();
  try {
    const bytes = await makeContext(root);
    const input = {
      dockerfile: join(root, 'Dockerfile'),
      context: root,
      buildArgs: { GOARCH: 'amd64' },
      enableCoverage: false,
    };
    const [first, firstMs] = await timed(() => hashBuildInputs(input));
    const hashTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) hashTimes.push((await timed(() => hashBuildInputs(input)))[1]);
    console.log(`context: ${first.files} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
    console.log(`hash (first run):              ${ms(firstMs)}`);
    console.log(`hash (median of ${RUNS}):            ${ms(median(hashTimes))}`);

    const runner = createCommandRunner();
    const engine = createPodmanEngine(runner);
    const available = await runner
      .run('podman', ['--version'])
      .then(() => true)
      .catch(() => false);
    if (!available) {
      console.log('podman is not installed (apt-get install podman): build figures skipped');
      return;
    }
    const config = {
      serviceName: 'hash-bench',
      imageName: 'kubernaut-e2e-bench/hash-bench',
      dockerfilePath: 'Dockerfile',
      consumer: 'bench',
    };
    const options = { engine, projectRoot: root, ledger, env: {} };
    const [built, buildMs] = await timed(() => buildImageForKind(config, options));
    if (built.cached) throw new Error('expected the first build to be a cache miss');
    const hitTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [hit, hitMs] = await timed(() => buildImageForKind(config, options));
      if (!hit.cached) throw new Error('expected a cache hit on an unchanged context');
      hitTimes.push(hitMs);
    }
    console.log(`podman build (cache miss):     ${ms(buildMs)}  → ${built.ref}`);
    console.log(
      `buildImageForKind cache hit:   ${ms(median(hitTimes))} (median of ${RUNS}: hash + one podman images --filter)`,
    );
    console.log(`build / hash:                  ${(buildMs / median(hashTimes)).toFixed(1)}×`);
    console.log(`build / cache hit:             ${(buildMs / median(hitTimes)).toFixed(1)}×`);
  } finally {
    const report = await ledger.cleanup();
    await rm(root, { recursive: true, force: true });
    if (report.failed.length) console.error('cleanup failures:', report.failed);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
