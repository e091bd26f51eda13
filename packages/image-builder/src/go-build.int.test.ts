import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandError, createCommandRunner, type LogLine, RunLedger } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { withEnv } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImageForKind } from './build-image.js';
import { createPodmanEngine } from './engines/podman-engine.js';
import { RUN_LABEL } from './index.js';

/*
 * Real Go builds of the fixture's gateway (services/fixture-project: cmd/gateway, pkg/gateway, pkg/shared) through
 * the image builder and podman: the builder stage compiles with Go 1.19 from Debian, on base and builder images made
 * without a registry by test/infrastructure/build-go-base.sh (once per machine; CI runs it before the tests).
 * RUN steps use chroot isolation (BUILDAH_ISOLATION overrides): podman's default runtime cannot run them here.
 * podman keeps `RUN --mount=type=cache` directories under $TMPDIR/buildah-cache; this suite gives podman its own
 * TMPDIR, so the Go build cache it measures is its own and starts empty.
 */
const FIXTURE = fileURLToPath(new URL('../../../services/fixture-project/', import.meta.url));
const BASE_TIMEOUT_MS = 30 * 60_000;
const BUILD_TIMEOUT_MS = 10 * 60_000;

async function diskUsage(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await diskUsage(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeWithBinaries(
  ['podman', 'debootstrap', 'bash', 'tar'],
  { podman: 'podman', debootstrap: 'debootstrap', bash: 'bash', tar: 'tar' },
  () => {
    const real = createCommandRunner();
    const nonce = randomBytes(6).toString('hex');
    const ledger = new RunLedger();
    let root: string;
    let engine: ReturnType<typeof createPodmanEngine>;
    let cacheDir: string;
    const config = {
      serviceName: 'gateway',
      imageName: 'kubernaut-e2e-test/go-gateway',
      dockerfilePath: 'docker/go/gateway.Dockerfile',
      consumer: 'go-int',
      timeoutMs: BUILD_TIMEOUT_MS,
    };
    const build = (log?: (line: LogLine) => void) =>
      buildImageForKind(config, { engine, projectRoot: root, ledger, ...(log ? { log } : {}) });

    beforeAll(async () => {
      await real.run('bash', [join(FIXTURE, 'test/infrastructure/build-go-base.sh')], {
        timeoutMs: BASE_TIMEOUT_MS,
      });
      root = await mkdtemp('/var/tmp/kubernaut-go-build-int-');
      for (const part of ['go.mod', 'pkg/shared', 'pkg/gateway', 'cmd/gateway', 'docker/go'])
        await cp(join(FIXTURE, part), join(root, part), { recursive: true });
      // This run's own layers: a nonce in a copied directory, so no earlier run's layer makes the first build warm.
      await writeFile(join(root, 'pkg/shared/nonce.txt'), `${nonce}\n`);
      await mkdir(join(root, 'tmp'));
      cacheDir = join(root, 'tmp/buildah-cache');
      engine = createPodmanEngine(withEnv(real, { TMPDIR: join(root, 'tmp') }), {
        isolation: process.env.BUILDAH_ISOLATION || 'chroot',
      });
    }, BASE_TIMEOUT_MS);

    afterAll(async () => {
      await ledger.cleanup().catch(() => {});
      const ids = (
        await real
          .run('podman', ['images', '-a', '-q', '--filter', `label=${RUN_LABEL}=${ledger.runId}`])
          .catch(() => ({
            stdout: '',
          }))
      ).stdout
        .split('\n')
        .filter(Boolean);
      if (ids.length > 0) await real.run('podman', ['rmi', '-f', ...new Set(ids)]).catch(() => {});
      if (root) await rm(root, { recursive: true, force: true });
    }, 120_000);

    it(
      'builds the gateway from Go sources; the binary requires its config file and serves the API, health and metrics on the addresses it names',
      async () => {
        const built = await build();
        expect(built.cached).toBe(false);
        const container = `kubernaut-go-int-${nonce}`;
        await real.run('podman', ['create', '--name', container, built.ref]);
        try {
          await real.run('podman', ['cp', `${container}:/gateway`, join(root, 'gateway')]);
        } finally {
          await real.run('podman', ['rm', container]);
        }
        // Without its config file (kubernaut's default path, absent here) it does not start, naming the file.
        const missing = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(join(root, 'gateway'), [], { stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (chunk) => {
            stderr += chunk;
          });
          child.on('close', (code) => resolve({ code, stderr }));
        });
        expect(missing.code).toBe(1);
        expect(missing.stderr).toContain('/etc/gateway/config.yaml');

        const [api, health, metrics] = [await freePort(), await freePort(), await freePort()];
        const configFile = join(root, 'gateway-config.yaml');
        await writeFile(
          configFile,
          [
            '# as a ConfigMap mounts it',
            'server:',
            `  listenAddr: "127.0.0.1:${api}"`,
            `  healthAddr: 127.0.0.1:${health}`,
            `  metricsAddr: '127.0.0.1:${metrics}'`,
            '  maxConcurrentRequests: 100',
            'datastorage:',
            '  url: https://data-storage-service.kubernaut-system.svc.cluster.local:8080',
            '',
          ].join('\n'),
        );
        const server = spawn(join(root, 'gateway'), [`--config=${configFile}`], { stdio: 'ignore' });
        try {
          const get = async (port: number, path: string, init?: RequestInit) => {
            for (let attempt = 0; ; attempt++) {
              try {
                return await fetch(`http://127.0.0.1:${port}${path}`, init);
              } catch (error) {
                if (attempt > 100) throw error;
                await new Promise((resolve) => setTimeout(resolve, 100));
              }
            }
          };
          expect(await (await get(health, '/healthz')).text()).toBe('ok\n');
          expect((await get(health, '/readyz')).status).toBe(200);
          // The API port serves the API only, as kubernaut's gateway: its probes are on the health port.
          expect((await get(api, '/readyz')).status).toBe(404);
          const created = await get(api, '/api/v1/signal0s?id=1&name=a&namespace=default', {
            method: 'POST',
          });
          expect(created.status).toBe(201);
          expect(await (await get(metrics, '/metrics')).text()).toContain('gateway_signal0_requests_total 1');
        } finally {
          server.kill();
        }
        expect(await diskUsage(cacheDir)).toBeGreaterThan(1024 * 1024);
      },
      BUILD_TIMEOUT_MS,
    );

    it(
      'rebuilds after a one-line change from the layer cache and the Go build cache',
      async () => {
        const before = await diskUsage(cacheDir);
        const mainGo = join(root, 'cmd/gateway/main.go');
        await writeFile(
          mainGo,
          (await readFile(mainGo, 'utf8')).replace('"config"', '"config" /* changed */'),
        );
        const lines: string[] = [];
        const built = await build((line) => lines.push(line.text));
        expect(built.cached).toBe(false);
        // The unchanged COPY steps come from the layer cache; only cmd/gateway's COPY and the compile run again.
        const usingCache = lines.filter((line) => /Using cache/.test(line)).length;
        expect(usingCache).toBeGreaterThanOrEqual(3);
        // The compile reuses the cached packages: the Go build cache grows by the main package, not a second copy.
        const growth = (await diskUsage(cacheDir)) - before;
        expect(growth).toBeLessThan(before * 0.2);
      },
      BUILD_TIMEOUT_MS,
    );

    it(
      'a broken Go source fails the build with the compiler’s file:line:col lines in the error',
      async () => {
        const broken = join(root, 'pkg/gateway/api/zz_broken.go');
        await writeFile(broken, 'package api\n\nfunc Broken() int {\n\treturn "not a number"\n}\n\nfunc (\n');
        try {
          const error = await build().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(CommandError);
          const message = (error as CommandError).message;
          expect(message).toMatch(
            /^building image localhost\/kubernaut-e2e-test\/go-gateway:\S+ for service gateway/,
          );
          expect(message).toMatch(/pkg\/gateway\/api\/zz_broken\.go:\d+:\d+: /);
          expect(message).toContain('go build');
        } finally {
          await rm(broken);
        }
      },
      BUILD_TIMEOUT_MS,
    );
  },
);
