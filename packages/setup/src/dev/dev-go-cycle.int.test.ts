import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCommandRunner, RUN_LABEL, RunLedger } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { freeLoopbackPort, KindAndApiServer, nodeImageIds, withEnv } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIXTURE_PROJECT_ROOT } from '../project-root.js';
import { defineService } from '../service/define-service.js';
import { eventLog, injectedWatcher } from '../testing-internal/dev-loop.js';
import { createToolchain } from '../toolchain.js';
import { startDevLoop } from './start-dev-loop.js';

/*
 * The dev loop's cycle on real tools, with the fixture's Go services: an edit to cmd/gateway/main.go is rebuilt by
 * podman (Go 1.19 in the builder image that test/infrastructure/build-go-base.sh makes once per machine), saved
 * with `podman save`, imported into a real containerd standing in for the kind node, and rolled: the stand-in's
 * `rollout status` succeeds only when the node holds the Deployment's new image. kind and the API server are the
 * test harness's `KindAndApiServer` (they cannot run here). RUN steps use chroot isolation (BUILDAH_ISOLATION
 * overrides), given the way a CI machine gives it: through the environment.
 */
const TIMEOUT_MS = 15 * 60_000;

describeWithBinaries(
  ['podman', 'debootstrap', 'bash', 'containerd', 'ctr', 'kubectl'],
  {
    podman: 'podman',
    debootstrap: 'debootstrap',
    bash: 'bash',
    containerd: 'containerd',
    ctr: 'containerd',
    kubectl: 'kubernetes-client',
  },
  () => {
    const real = createCommandRunner();
    const nonce = randomBytes(4).toString('hex');
    const ledger = new RunLedger({ runId: `dev-go-${nonce}` });
    const work = mkdtempSync('/var/tmp/kubernaut-dev-go-');
    const root = join(work, 'project');
    // podman keeps `RUN --mount=type=cache` directories under $TMPDIR/buildah-cache: this suite's own.
    const podman = withEnv(real, { TMPDIR: join(work, 'tmp') });
    const standIn = new KindAndApiServer(podman, 0);
    const mainGo = join(root, 'cmd/gateway/main.go');
    const service = (ports: { gateway: number; datastorage: number }) =>
      defineService({
        name: 'godev',
        hostPorts: ports,
        images: {
          gateway: {
            dockerfile: 'docker/go/gateway.Dockerfile',
            imageName: 'kubernaut-e2e-test/dev-gateway',
          },
          datastorage: {
            dockerfile: 'docker/go/datastorage.Dockerfile',
            imageName: 'kubernaut-e2e-test/dev-datastorage',
          },
        },
        deployments: (['datastorage', 'gateway'] as const).map((id, i) => ({
          id,
          image: id,
          ports: [{ name: 'http', port: 8080 }],
          publish: { port: 'http', hostPort: id, nodePort: 30480 + i },
          probes: { readiness: { path: '/readyz', port: 'http' } },
        })),
      });

    beforeAll(async () => {
      await real.run('bash', [join(FIXTURE_PROJECT_ROOT, 'test/infrastructure/build-go-base.sh')], {
        timeoutMs: TIMEOUT_MS,
      });
      mkdirSync(join(work, 'tmp'));
      for (const part of ['go.mod', 'pkg', 'docker/go', 'cmd/gateway', 'cmd/datastorage'])
        cpSync(join(FIXTURE_PROJECT_ROOT, part), join(root, part), { recursive: true });
      // This run's own layers: no image an earlier run left makes the setup's builds cache hits.
      writeFileSync(join(root, 'pkg/shared/nonce.txt'), `${nonce}\n`);
    }, TIMEOUT_MS);

    afterAll(async () => {
      await standIn.stopAll();
      const made = (
        await real.run('podman', ['images', '-a', '-q', '--filter', `label=${RUN_LABEL}=${ledger.runId}`])
      ).stdout
        .split('\n')
        .filter(Boolean);
      if (made.length > 0) await real.run('podman', ['rmi', '-f', ...new Set(made)]);
      rmSync(work, { recursive: true, force: true });
    }, 120_000);

    it(
      'an edit to a Go source rebuilds that image alone, the node gets it and its Deployment rolls to it; a compile error fails the cycle with the compiler’s lines and the loop goes on',
      async () => {
        const { toolchain } = await createToolchain({
          runtime: 'podman',
          runner: standIn,
          projectRoot: root,
          ledger,
          coverage: false,
          env: { BUILDAH_ISOLATION: process.env.BUILDAH_ISOLATION || 'chroot' },
        });
        const watcher = injectedWatcher();
        const log = eventLog();
        const clusterName = `godev-${nonce}`;
        const dev = await startDevLoop(
          service({ gateway: await freeLoopbackPort(), datastorage: await freeLoopbackPort() }),
          {
            toolchain,
            ledger,
            projectRoot: root,
            clusterName,
            kubeconfigPath: join(work, 'godev.kubeconfig'),
            outputDir: join(work, 'output'),
            env: {},
            keep: 'never',
            debounceMs: 0,
            watch: watcher.watch,
            onEvent: log.onEvent,
          },
        );
        try {
          const before = dev.images;
          const cluster = standIn.clusters.get(clusterName)!;
          const deploymentImage = (id: string) =>
            (
              cluster.objects.get(`Deployment/kubernaut-system/${id}`)!.spec as {
                template: { spec: { containers: { image: string }[] } };
              }
            ).template.spec.containers[0]!.image;

          // A one-line Go change.
          const line = `address to serve on (dev ${nonce})`;
          writeFileSync(mainGo, readFileSync(mainGo, 'utf8').replace('address to serve on', line));
          watcher.emit(mainGo);
          const { report } = await log.next('cycle-finished');
          expect(report).toMatchObject({
            outcome: 'ready',
            images: ['gateway'],
            rolled: ['deployment/gateway'],
          });
          const rebuilt = dev.images.gateway!;
          expect(rebuilt).not.toBe(before.gateway);
          expect(dev.images.datastorage).toBe(before.datastorage);
          // The node holds the new image, the Deployment runs it, and the binary in it carries the edit.
          const onNode = await nodeImageIds(cluster.node);
          expect(onNode.has(rebuilt)).toBe(true);
          expect(deploymentImage('gateway')).toBe(rebuilt);
          expect(deploymentImage('datastorage')).toBe(before.datastorage);
          const mount = (await real.run('podman', ['image', 'mount', rebuilt])).stdout.trim();
          try {
            expect(readFileSync(join(mount, 'gateway')).includes(line)).toBe(true);
          } finally {
            await real.run('podman', ['image', 'unmount', rebuilt]);
          }
          expect(standIn.unexpected).toEqual([]);

          // A compile error: the cycle fails at the build with the compiler's file:line:col, nothing is rolled.
          const broken = join(root, 'pkg/gateway/api/zz_broken.go');
          writeFileSync(broken, 'package api\n\nfunc Broken() int {\n\treturn "not a number"\n}\n');
          watcher.emit(broken);
          const failed = (await log.next('cycle-finished')).report;
          expect(failed).toMatchObject({ outcome: 'failed', images: ['gateway'], error: { phase: 'build' } });
          expect(failed.error!.message).toMatch(/pkg\/gateway\/api\/zz_broken\.go:4:\d+: /);
          expect(deploymentImage('gateway')).toBe(rebuilt);

          // Fixed: the loop was still watching, and the next cycle is ready again.
          writeFileSync(broken, 'package api\n\nfunc Broken() int {\n\treturn 1\n}\n');
          watcher.emit(broken);
          const fixed = (await log.next('cycle-finished')).report;
          expect(fixed).toMatchObject({ outcome: 'ready', images: ['gateway'] });
        } finally {
          await dev.stop();
        }
        expect(standIn.deleted).toContain(clusterName);
      },
      TIMEOUT_MS,
    );
  },
);
