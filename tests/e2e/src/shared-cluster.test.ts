import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandRunner, RUN_LABEL, RunLedger, StepError } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { TEST_DATABASE } from '@kubernaut-e2e/datastorage';
import { gatewayService } from '@kubernaut-e2e/gateway';
import {
  createToolchain,
  FIXTURE_PROJECT_ROOT,
  type InfrastructureHandle,
  setupInfrastructure,
} from '@kubernaut-e2e/setup';
import {
  ExistingClusterStandIn,
  freeLoopbackPort,
  HASH_LABEL,
  type LocalRegistry,
  type PostgresServer,
  startLocalRegistry,
  startPostgres,
} from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GATEWAY_REAL_BINARIES, putPostgresOnPath } from './support/gateway-world.js';

/*
 * Four gateway suites at once against ONE existing, shared cluster, on the real toolchain `createToolchain` wires
 * for `cluster.existing`: real podman builds, real pushes to a real registry (Debian's docker-registry), the real
 * existing-cluster provider and kubectl client, the real goose migrator against a real PostgreSQL per namespace,
 * the real prober through real port-forward listeners. Only the API server is played at the process boundary
 * (`ExistingClusterStandIn`), with a real private containerd as its node that pulls the pushed images for real.
 */

putPostgresOnPath();

const CONTEXT = 'ci-shared';
const SUITES = 4;

describeWithBinaries(
  [...Object.keys(GATEWAY_REAL_BINARIES), 'docker-registry'],
  { ...GATEWAY_REAL_BINARIES, 'docker-registry': 'docker-registry' },
  () => {
    const real = createCommandRunner();
    const nonce = randomBytes(4).toString('hex');
    let work: string;
    let registry: LocalRegistry;
    let cluster: ExistingClusterStandIn;
    const databases: PostgresServer[] = [];
    /** Each namespace gets its own PostgreSQL, as each run's in-cluster PostgreSQL is its own. */
    const databaseOf = new Map<string, PostgresServer>();

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'kubernaut-shared-'));
      registry = await startLocalRegistry({ runner: real });
      databases.push(
        ...(await Promise.all(Array.from({ length: SUITES }, () => startPostgres({ runner: real })))),
      );
      for (const postgres of databases) {
        const admin = await postgres.connect('postgres');
        try {
          await admin.query(`CREATE ROLE ${TEST_DATABASE.user} LOGIN PASSWORD '${TEST_DATABASE.password}'`);
          await admin.query(`CREATE DATABASE ${TEST_DATABASE.database} OWNER ${TEST_DATABASE.user}`);
        } finally {
          await admin.end();
        }
      }
      cluster = await ExistingClusterStandIn.start(real, {
        context: CONTEXT,
        postgresFor: (namespace) => {
          let db = databaseOf.get(namespace);
          if (!db) {
            // A fifth run (the failing one) shares the first database; its migrations fail before they matter.
            db = databases[databaseOf.size % SUITES]!;
            databaseOf.set(namespace, db);
          }
          return db.port;
        },
      });
    }, 120_000);

    afterAll(async () => {
      await cluster?.stop();
      // The content-hash cache images and podman's intermediate images of these builds.
      for (const ref of cluster?.built ?? [])
        await real.run('podman', ['rmi', '--force', ref]).catch(() => {});
      for (const hash of cluster?.hashes ?? []) {
        const listed = await real
          .run('podman', ['images', '-a', '-q', '--filter', `label=${HASH_LABEL}=${hash}`])
          .catch(() => undefined);
        const ids = [...new Set(listed?.stdout.split('\n').filter(Boolean) ?? [])];
        if (ids.length > 0) await real.run('podman', ['rmi', '--force', ...ids]).catch(() => {});
      }
      await Promise.all(databases.map((d) => d.stop()));
      await registry?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    }, 120_000);

    /** A copy of the fixture project with content of its own (each suite builds its own images). */
    async function projectCopy(label: string): Promise<string> {
      const root = join(work, label);
      await cp(FIXTURE_PROJECT_ROOT, root, { recursive: true });
      await appendFile(join(root, 'cmd', 'gateway', 'README.txt'), `\nrun ${nonce}-${label}\n`);
      await appendFile(join(root, 'cmd', 'datastorage', 'README.txt'), `\nrun ${nonce}-${label}\n`);
      return root;
    }

    async function suite(i: number, broken = false): Promise<InfrastructureHandle> {
      const projectRoot = await projectCopy(`suite-${i}`);
      if (broken)
        await writeFile(
          join(projectRoot, 'migrations', '004_broken.sql'),
          '-- +goose Up\nSELECT * FROM no_such_table;\n',
        );
      const hostPorts = {
        gateway: await freeLoopbackPort(),
        gatewayHealth: await freeLoopbackPort(),
        gatewayMetrics: await freeLoopbackPort(),
        datastorage: await freeLoopbackPort(),
        datastorageHealth: await freeLoopbackPort(),
      };
      const ledger = new RunLedger();
      const registryUrl = `${registry.host}/e2e-${nonce}`;
      const existing = { context: CONTEXT, kubeconfig: cluster.kubeconfigPath };
      const { toolchain } = await createToolchain({
        runtime: 'podman',
        runner: cluster,
        projectRoot,
        ledger,
        coverage: false,
        env: {},
        registry: { address: registryUrl, local: false, endpoint: registry.endpoint },
        existingCluster: existing,
      });
      return setupInfrastructure(gatewayService, {
        toolchain,
        ledger,
        projectRoot,
        // Every suite uses the same logical cluster name, as four CI jobs of one service do.
        cluster: { existing },
        registry: { url: registryUrl },
        hostPorts,
        kubeconfigPath: join(work, `suite-${i}.kubeconfig`),
        outputDir: join(work, `out-${i}`),
        // The stand-in runs no pods: there is nothing to diagnose.
        diagnostics: !broken,
        env: {},
      });
    }

    it('runs four suites at once, each in its own namespace; each teardown removes only its own; the cluster stays', async () => {
      const settled = await Promise.allSettled(Array.from({ length: SUITES }, (_, i) => suite(i)));
      const handles = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      try {
        expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
        expect(cluster.unexpected).toEqual([]);

        // Distinct namespaces `gateway-<run id>`, labelled with the run, and distinct kubeconfigs.
        const namespaces = handles.map((h) => h.namespace);
        expect(new Set(namespaces).size).toBe(SUITES);
        for (const h of handles) {
          expect(h.namespace).toBe(`gateway-${h.runId.toLowerCase()}`);
          expect(h.namespace).toMatch(/^gateway-\d{8}t\d{6}z-[0-9a-f]{8}$/);
          expect(h.existingCluster?.context).toBe(CONTEXT);
          const ns = cluster.ofKind('Namespace').find((o) => o.metadata.name === h.namespace);
          expect(ns?.metadata.labels?.[RUN_LABEL]).toBe(h.runId);
        }
        expect(new Set(handles.map((h) => h.kubeconfigPath)).size).toBe(SUITES);

        // Everything namespaced of a run is in its namespace, running the images it pushed (pulled by the node).
        for (const h of handles) {
          const deployments = cluster.ofKind('Deployment', h.namespace).map((d) => d.metadata.name);
          expect(deployments.sort()).toEqual(['datastorage', 'gateway', 'postgresql', 'redis']);
          const gatewayDeployment = cluster.objects.get(`Deployment/${h.namespace}/gateway`)!;
          const image = (
            gatewayDeployment.spec as { template: { spec: { containers: { image: string }[] } } }
          ).template.spec.containers[0]!.image;
          expect(image).toMatch(new RegExp(`^${registry.host}/e2e-${nonce}/gateway:`));
          expect(cluster.pulled).toContain(image);
        }
        // Each run seeded its own ActionTypes in its namespace, registered through the status subresource.
        for (const h of handles) {
          const actionTypes = cluster.ofKind('ActionType', h.namespace);
          expect(actionTypes).toHaveLength(11);
          expect(actionTypes.every((o) => (o.status as { registered?: boolean })?.registered)).toBe(true);
        }
        // No Service publishes a node port (cluster-wide: four runs would collide).
        expect(cluster.nodePortServices).toEqual([]);

        // CRDs: applied by every run, present once.
        const crds = cluster.ofKind('CustomResourceDefinition').map((o) => o.metadata.name);
        expect(crds).toHaveLength(11);
        expect(crds).toContain('remediationrequests.kubernaut.ai');
        for (const name of crds) expect(cluster.crdApplies.get(name)).toBe(SUITES);
        // Each run's cluster-wide RBAC carries its namespace.
        for (const h of handles)
          expect(cluster.ofKind('ClusterRole').map((o) => o.metadata.name)).toContain(
            `${h.namespace}-gateway`,
          );

        // The endpoints reach each run's own Services and database, through its own forwards: the gateway's
        // health port answers its readiness probe, its API port does not.
        for (const h of handles) {
          const readyz = await fetch(`${h.endpoints.gatewayHealthUrl}/readyz`);
          expect(readyz.status).toBe(200);
          expect((await readyz.text()).trim()).toBe(`gateway-service ${h.namespace}`);
          expect((await fetch(`${h.endpoints.gatewayUrl}/readyz`)).status).toBe(404);
          const db = databaseOf.get(h.namespace)!;
          const client = await db.connect(TEST_DATABASE.database);
          try {
            const versions = await client.query<{ version_id: string }>(
              'SELECT version_id FROM goose_db_version WHERE is_applied AND version_id > 0 ORDER BY version_id',
            );
            expect(versions.rows.map((r) => Number(r.version_id))).toEqual([1, 2, 3]);
          } finally {
            await client.end();
          }
        }
        expect(new Set(databaseOf.values()).size).toBe(SUITES);

        // One teardown at a time: it removes its namespace and its own RBAC, nothing of the others, no CRD.
        for (const [i, h] of handles.entries()) {
          await h.teardown();
          expect(cluster.namespaces()).not.toContain(h.namespace);
          expect(cluster.ofKind('Deployment', h.namespace)).toEqual([]);
          expect(cluster.ofKind('ClusterRole').map((o) => o.metadata.name)).not.toContain(
            `${h.namespace}-gateway`,
          );
          expect(existsSync(h.kubeconfigPath)).toBe(false);
          await expect(fetch(`${h.endpoints.gatewayHealthUrl}/readyz`)).rejects.toThrow();
          for (const other of handles.slice(i + 1)) {
            expect(cluster.namespaces()).toContain(other.namespace);
            expect(cluster.ofKind('Deployment', other.namespace)).toHaveLength(4);
            expect((await fetch(`${other.endpoints.gatewayHealthUrl}/readyz`)).status).toBe(200);
          }
          expect(cluster.ofKind('CustomResourceDefinition')).toHaveLength(11);
        }
        expect(cluster.deleted.filter((k) => k.startsWith('CustomResourceDefinition/'))).toEqual([]);
        expect(cluster.deleted.filter((k) => k.startsWith('Namespace/')).sort()).toEqual(
          namespaces.map((n) => `Namespace//${n}`).sort(),
        );
        // The cluster was never created or deleted: no kind at all, and its node still runs.
        expect(cluster.calls.filter((c) => c.argv[0] === 'kind')).toEqual([]);
        expect(await cluster.node.imageNames()).not.toEqual([]);
        expect(cluster.unexpected).toEqual([]);
      } finally {
        await Promise.all(handles.map((h) => h.teardown().catch(() => {})));
      }
    }, 240_000);

    it('a failed run removes its own namespace and RBAC, nothing else; the CRDs and the cluster stay', async () => {
      const before = { deleted: cluster.deleted.length, calls: cluster.calls.length };
      const error = await suite(SUITES, true).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepError);
      expect((error as StepError).stepId).toBe('migrate:migrations');
      const deletes = cluster.calls
        .slice(before.calls)
        .map((c) => c.argv.join(' '))
        .filter((a) => a.includes(' delete '));
      // One namespace was created by the run and deleted by it: its own (label-checked), nothing else.
      const deleted = cluster.deleted.slice(before.deleted);
      expect(deleted.filter((k) => k.startsWith('Namespace/'))).toHaveLength(1);
      expect(
        deleted.every((k) =>
          /^(Namespace|ClusterRole|ClusterRoleBinding)\/\/gateway-\d{8}t\d{6}z-[0-9a-f]{8}/.test(k),
        ),
      ).toBe(true);
      expect(deletes.length).toBeGreaterThan(0);
      expect(cluster.namespaces()).toEqual([]);
      expect(cluster.ofKind('CustomResourceDefinition')).toHaveLength(11);
      expect(cluster.calls.filter((c) => c.argv[0] === 'kind')).toEqual([]);
      expect(cluster.unexpected).toEqual([]);
    }, 120_000);
  },
);
