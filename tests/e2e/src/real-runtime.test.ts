import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RunLedger, StepError } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { E2E_ACTION_TYPES, TEST_DATABASE } from '@kubernaut-e2e/datastorage';
import { gatewayService } from '@kubernaut-e2e/gateway';
import {
  createToolchain,
  type InfrastructureHandle,
  PATTERNS,
  type Pattern,
  type SetupOptions,
  setupInfrastructure,
} from '@kubernaut-e2e/setup';
import { HASH_LABEL, isAlive, KindAndApiServer, nodeImageIds } from '@kubernaut-e2e/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  freeGatewayPorts,
  GATEWAY_REAL_BINARIES,
  type GatewayPorts,
  type GatewayWorld,
  pinKindConfigPorts,
  putPostgresOnPath,
  startGatewayWorld,
} from './support/gateway-world.js';

/*
 * The gateway's setup on the REAL toolchain `createToolchain({ runtime: 'podman' })` wires: real podman builds
 * of the fixture Dockerfiles and real `podman save -m` archives, the real kind provider and loader, the real
 * kubectl client, the real goose migrator against a real PostgreSQL, and the real HTTP/TCP prober. Only kind
 * and the API server cannot run on this machine: `KindAndApiServer` plays them at the process boundary, with a
 * real private containerd as the kind node (see @kubernaut-e2e/test-harness's kind-and-api-server.ts).
 */

putPostgresOnPath();

interface PodSpec {
  containers: { image: string; args?: string[]; env?: { name: string; value?: string }[] }[];
}

describeWithBinaries(Object.keys(GATEWAY_REAL_BINARIES), GATEWAY_REAL_BINARIES, () => {
  let world: GatewayWorld;
  let real: GatewayWorld['real'];
  let postgres: GatewayWorld['postgres'];
  let work: string;
  let nonce: string;
  const imagesToRemove = new Set<string>();
  const buildHashes = new Set<string>();
  const runners: KindAndApiServer[] = [];

  beforeAll(async () => {
    world = await startGatewayWorld('gw-real');
    ({ real, postgres, work, nonce } = world);
  });

  afterAll(async () => {
    // A failed assertion may have skipped a teardown: stop any "node" still running.
    for (const runner of runners) await runner.stopAll();
    // The content-hash cache images are kept on success by design; this suite's are removed here.
    for (const ref of imagesToRemove) await real.run('podman', ['rmi', '--force', ref]).catch(() => {});
    // podman keeps each build step as an intermediate image (its layer cache) carrying the build's labels.
    for (const hash of buildHashes) {
      const listed = await real
        .run('podman', ['images', '-a', '-q', '--filter', `label=${HASH_LABEL}=${hash}`])
        .catch(() => undefined);
      const ids = [...new Set(listed?.stdout.split('\n').filter(Boolean) ?? [])];
      if (ids.length > 0) await real.run('podman', ['rmi', '--force', ...ids]).catch(() => {});
    }
    await world?.stop();
  });

  const projectCopy = (label: string) => world.projectCopy(label);

  const ledgerDirs = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('kubernaut-e2e-kind-'));
  const imageExists = (ref: string) =>
    real.run('podman', ['image', 'exists', ref]).then(
      () => true,
      () => false,
    );

  interface SetupExtra {
    readonly pattern?: Pattern;
    readonly serializeBuilds?: boolean;
    /** Continue in the world of an earlier setup (its kind clusters), on the same host ports. */
    readonly after?: { runner: KindAndApiServer; ports: GatewayPorts };
    readonly options?: Pick<SetupOptions, 'keep' | 'reuseCluster'>;
  }

  async function setup(projectRoot: string, clusterName: string, extra: SetupExtra = {}) {
    await world.freshDatabase();
    const runner = extra.after?.runner ?? new KindAndApiServer(real, postgres.port, extra.serializeBuilds);
    runners.push(runner);
    const ports = extra.after?.ports ?? (await freeGatewayPorts());
    await pinKindConfigPorts(projectRoot, ports);
    const kubeconfigPath = join(work, `${clusterName}.kubeconfig`);
    const ledger = new RunLedger();
    const { toolchain, runtime } = await createToolchain({
      runtime: 'podman',
      runner,
      projectRoot,
      ledger,
      coverage: false,
      env: {},
    });
    expect(runtime).toBe('podman');
    const run = setupInfrastructure(gatewayService, {
      toolchain,
      ledger,
      projectRoot,
      clusterName,
      pattern: extra.pattern ?? 'dag',
      ...extra.options,
      hostPorts: { ...ports },
      kubeconfigPath,
      // A failed run's diagnostics go under the suite's own temp dir, removed with it.
      outputDir: join(dirname(kubeconfigPath), 'kubernaut-e2e-output', clusterName),
      env: {},
    });
    // Whatever happens to the run, its images are removed after the suite.
    void run
      .finally(() => {
        for (const hash of runner.hashes) buildHashes.add(hash);
        for (const ref of runner.built) imagesToRemove.add(ref);
      })
      .catch(() => {});
    return { runner, run, kubeconfigPath, toolchain, ports };
  }

  it.each(PATTERNS)(
    '%s: sets up the gateway on the real toolchain: built images on the node, migrations in PostgreSQL, torn down clean',
    async (pattern) => {
      const projectRoot = await projectCopy(`ok-${pattern}`);
      const clusterName = `gwrt-${nonce}-${pattern}`;
      const dirsBefore = await ledgerDirs();
      const { runner, run, kubeconfigPath, ports } = await setup(projectRoot, clusterName, { pattern });
      let handle: InfrastructureHandle | undefined;
      try {
        handle = await run;
        expect(runner.unexpected).toEqual([]);
        const built = { datastorage: handle.images.datastorage!, gateway: handle.images.gateway! };
        for (const ref of Object.values(built)) imagesToRemove.add(ref);

        // Endpoints a suite uses: DataStorage over https (it serves TLS from the run's CA), the rest plain.
        expect(handle.endpoints).toEqual({
          gatewayUrl: `http://localhost:${ports.gateway}`,
          gatewayHealthUrl: `http://localhost:${ports.gatewayHealth}`,
          gatewayMetricsUrl: `http://localhost:${ports.gatewayMetrics}`,
          dataStorageUrl: `https://localhost:${ports.datastorage}`,
          dataStorageHealthUrl: `http://localhost:${ports.datastorageHealth}`,
        });
        expect(handle.kubeconfigPath).toBe(kubeconfigPath);
        // Readiness is the health server's (8081, published on its own host port), as kubernaut's binaries serve
        // it: the gateway's API port does not answer /readyz.
        expect((await fetch(`${handle.endpoints.gatewayHealthUrl}/readyz`)).status).toBe(200);
        expect((await fetch(`${handle.endpoints.gatewayHealthUrl}/healthz`)).status).toBe(200);
        expect((await fetch(`${handle.endpoints.gatewayUrl}/readyz`)).status).toBe(404);
        expect((await fetch(`${handle.endpoints.dataStorageHealthUrl}/readyz`)).status).toBe(200);

        // Both service images were really built (fresh content), with podman's `localhost/` names; PostgreSQL and
        // Redis are the suite's external images, by their pinned references.
        expect(handle.images).toEqual({
          ...built,
          postgres: 'docker.io/library/postgres:16-alpine',
          redis: 'quay.io/jordigilh/redis:7-alpine',
        });
        expect([...runner.built].sort()).toEqual(Object.values(built).sort());
        for (const ref of Object.values(built)) {
          expect(ref).toMatch(/^localhost\/(gateway|kubernaut\/datastorage):gateway-e2e-[0-9a-f]{12,}$/);
          expect(await imageExists(ref)).toBe(true);
        }

        // The Deployments reference exactly the names containerd holds (the archive's name round trip).
        const cluster = runner.clusters.get(clusterName)!;
        // kind was given the suite's own kind config as it is: its pinned node image, patches and the eight port
        // mappings (the five the setup publishes among them), ./coverdata resolved against the project root.
        const node = cluster.config.nodes[0] as {
          image?: string;
          kubeadmConfigPatches?: string[];
          extraMounts?: { hostPath: string }[];
          extraPortMappings?: { containerPort: number; hostPort: number }[];
        };
        expect(node.image).toMatch(/^kindest\/node:v1\.36\.1@sha256:/);
        expect(node.kubeadmConfigPatches?.[0]).toContain('kube-api-qps');
        expect(node.extraMounts).toEqual([
          expect.objectContaining({ hostPath: join(projectRoot, 'coverdata') }),
        ]);
        const mappings = node.extraPortMappings?.map((m) => [m.hostPort, m.containerPort]);
        expect(mappings).toHaveLength(8);
        expect(mappings).toEqual(
          expect.arrayContaining([
            [ports.gateway, 30080],
            [ports.gatewayHealth, 30180],
            [ports.gatewayMetrics, 30090],
            [ports.datastorage, 30081],
            [ports.datastorageHealth, 30281],
          ]),
        );
        // The node holds the built images; the external ones only if this machine's podman holds them (a
        // developer's may), else the node pulls them by their pinned references.
        const heldLocally = [];
        for (const ref of [handle.images.postgres!, handle.images.redis!])
          if (await imageExists(ref)) heldLocally.push(ref);
        const onNode = await nodeImageIds(cluster.node);
        expect([...onNode.keys()].sort()).toEqual([...Object.values(built), ...heldLocally].sort());
        // …and the node holds the very images podman built (same image ID: the archive's round trip).
        for (const ref of Object.values(built)) {
          const inspected = await real.run('podman', ['image', 'inspect', '--format', '{{.Id}}', ref]);
          expect(onNode.get(ref)).toBe(`sha256:${inspected.stdout.trim()}`);
        }
        const object = (key: string) => cluster.objects.get(`${key.replace('//', '/kubernaut-system/')}`);
        const podSpec = (name: string) =>
          (object(`Deployment//${name}`)!.spec as { template: { spec: PodSpec } }).template.spec;
        const deploymentImage = (name: string) => podSpec(name).containers[0]!.image;
        expect(deploymentImage('gateway')).toBe(handle.images.gateway);
        expect(deploymentImage('datastorage')).toBe(handle.images.datastorage);
        expect(deploymentImage('postgresql')).toBe('docker.io/library/postgres:16-alpine');
        expect(deploymentImage('redis')).toBe('quay.io/jordigilh/redis:7-alpine');
        expect(cluster.rolledOut.sort()).toEqual(['datastorage', 'gateway', 'postgresql', 'redis']);
        expect(runner.neverPulled).toEqual([]);
        // The binaries are told where their config is, as kubernaut's read it: the gateway by flag, DataStorage by
        // CONFIG_PATH; each file is in the ConfigMap mounted there.
        expect(podSpec('gateway').containers[0]!.args).toEqual(['--config=/etc/gateway/config.yaml']);
        expect(podSpec('datastorage').containers[0]!.env).toContainEqual({
          name: 'CONFIG_PATH',
          value: '/etc/datastorage/config.yaml',
        });
        const gatewayConfig = parseYaml(
          (object('ConfigMap//gateway-config')!.data as Record<string, string>)['config.yaml']!,
        ) as { datastorage: { url: string } };
        expect(gatewayConfig.datastorage.url).toBe(
          'https://data-storage-service.kubernaut-system.svc.cluster.local:8080',
        );
        expect(
          (object('ConfigMap//datastorage-config')!.data as Record<string, string>)['config.yaml'],
        ).toContain('signerCertDir: /etc/signing-certs');

        // The run's CA: in the inter-service-ca ConfigMap the pods trust and beside the kubeconfig for the suite;
        // DataStorage's serving certificate (a kubernetes.io/tls Secret) is signed by it for its Service's names.
        const caPem = (object('ConfigMap//inter-service-ca')!.data as Record<string, string>)['ca.crt']!;
        expect(handle.caFile).toBe(join(dirname(kubeconfigPath), 'inter-service-ca.pem'));
        expect(readFileSync(handle.caFile!, 'utf8')).toBe(caPem);
        const tls = object('Secret//datastorage-tls')!;
        expect(tls.type).toBe('kubernetes.io/tls');
        const serving = new X509Certificate(
          Buffer.from((tls.data as Record<string, string>)['tls.crt']!, 'base64'),
        );
        expect(serving.verify(new X509Certificate(caPem).publicKey)).toBe(true);
        expect(serving.subjectAltName).toContain(
          'DNS:data-storage-service.kubernaut-system.svc.cluster.local',
        );
        expect(object('Secret//datastorage-signing')?.type).toBe('kubernetes.io/tls');

        // CRDs (Established), DataStorage's repository RBAC and the gateway's own, bound to data-storage-client.
        const kinds = (k: string) =>
          [...cluster.objects.values()].filter((o) => o.kind === k).map((o) => o.metadata.name);
        // RemediationRequest, which the suite applies itself, and the rest of config/crd/bases/.
        const crds = kinds('CustomResourceDefinition');
        expect(crds).toHaveLength(11);
        expect(crds).toContain('remediationrequests.kubernaut.ai');
        expect(crds.every((name) => name.endsWith('.kubernaut.ai'))).toBe(true);
        expect(kinds('ServiceAccount').sort()).toEqual(['data-storage-sa', 'gateway']);
        expect(kinds('ClusterRole')).toEqual(
          expect.arrayContaining(['data-storage-client', 'data-storage-auth-middleware']),
        );
        expect(kinds('ClusterRoleBinding')).toContain('data-storage-auth-middleware');
        expect(kinds('ClusterRole').some((n) => n.includes('gateway'))).toBe(true);
        expect(kinds('ClusterRoleBinding').some((n) => n.includes('gateway'))).toBe(true);
        const clientBinding = cluster.objects.get('RoleBinding/kubernaut-system/gateway-data-storage-client');
        expect(clientBinding?.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'data-storage-client' });

        // The 11 ActionTypes, seeded once DataStorage was ready and before the gateway was deployed, registered
        // through their status subresource (an apply cannot write the status of a kind that has one).
        const actionTypes = [...cluster.objects.values()].filter((o) => o.kind === 'ActionType');
        expect(actionTypes.map((o) => o.metadata.name).sort()).toEqual(
          E2E_ACTION_TYPES.map(([name]) => name).sort(),
        );
        for (const actionType of actionTypes)
          expect(actionType.status).toEqual({
            registered: true,
            catalogStatus: 'Active',
            registeredBy: 'kubernaut-e2e',
          });
        const at = (match: (argv: readonly string[]) => boolean) =>
          runner.calls.findIndex((c) => match(c.argv));
        const statusPatches = runner.calls.filter(
          (c) => c.argv[3] === 'patch' && c.argv.includes('--subresource=status'),
        );
        expect(statusPatches).toHaveLength(11);
        expect(statusPatches[0]!.argv.slice(3, 9)).toEqual([
          'patch',
          'actiontype/delete-pod',
          '-n',
          'kubernaut-system',
          '--subresource=status',
          '--type=json',
        ]);
        const firstPatch = at((a) => a[3] === 'patch');
        expect(firstPatch).toBeGreaterThan(at((a) => a.includes('deployment/datastorage')));
        expect(firstPatch).toBeLessThan(at((a) => a.includes('deployment/gateway')));

        // The real goose migrator applied the fixture migrations to the real PostgreSQL.
        const db = await postgres.connect(TEST_DATABASE.database);
        try {
          const versions = await db.query<{ version_id: string }>(
            'SELECT version_id FROM goose_db_version WHERE is_applied AND version_id > 0 ORDER BY version_id',
          );
          expect(versions.rows.map((r) => Number(r.version_id))).toEqual([1, 2, 3]);
          const tables = await db.query<{ table_name: string }>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
          );
          const names = tables.rows.map((r) => r.table_name);
          expect(names).toContain('audit_events');
          expect(names).toContain('remediation_history');
        } finally {
          await db.end();
        }

        // The port-forward the migrations went through was closed.
        expect(runner.forwards).toHaveLength(1);
        expect(isAlive(runner.forwards[0]!.pid)).toBe(false);

        // Exact argv kind and kubectl accept.
        const argvs = runner.calls.map((c) => c.argv);
        expect(argvs).toContainEqual(['kind', 'get', 'clusters']);
        const create = argvs.find((a) => a[1] === 'create')!;
        expect(create).toEqual([
          'kind',
          'create',
          'cluster',
          '--name',
          clusterName,
          '--config',
          expect.stringMatching(/\/kind-config\.yaml$/),
          '--kubeconfig',
          kubeconfigPath,
          '--wait',
          '300s',
        ]);
        const load = argvs.filter((a) => a[0] === 'kind' && a[1] === 'load');
        // dag loads each image as soon as it and the cluster are ready: one archive per batch.
        expect(load.length).toBeGreaterThan(0);
        for (const argv of load)
          expect(argv).toEqual([
            'kind',
            'load',
            'image-archive',
            expect.stringMatching(/^\/.*\/images\.tar$/),
            '--name',
            clusterName,
          ]);
        expect(cluster.loader.archives.length).toBe(load.length);
        const save = argvs.find((a) => a[0] === 'podman' && a[1] === 'save')!;
        expect(save.slice(0, 3)).toEqual(['podman', 'save', '-m']);
        expect(argvs).toContainEqual([
          'kubectl',
          '--kubeconfig',
          kubeconfigPath,
          'rollout',
          'status',
          'deployment/gateway',
          '-n',
          'kubernaut-system',
          '--timeout=180s',
        ]);
        expect(argvs).toContainEqual([
          'kubectl',
          '--kubeconfig',
          kubeconfigPath,
          'port-forward',
          '-n',
          'kubernaut-system',
          'service/postgresql',
          ':5432',
          '--address',
          '127.0.0.1',
        ]);
        expect(argvs).toContainEqual([
          'kubectl',
          '--kubeconfig',
          kubeconfigPath,
          'wait',
          '--for=condition=Established',
          'crd/remediationrequests.kubernaut.ai',
          '--timeout=60s',
        ]);
        for (const call of runner.calls.filter((c) => c.argv[0] === 'kind' && c.argv[1] !== 'version'))
          expect(call.env).toEqual({ KIND_EXPERIMENTAL_PROVIDER: 'podman' });
      } finally {
        await handle?.teardown();
      }

      // Teardown: cluster deleted with its own kubeconfig, kubeconfig gone, nothing in temp.
      expect(runner.deleted).toEqual([clusterName]);
      expect(runner.calls.map((c) => c.argv)).toContainEqual([
        'kind',
        'delete',
        'cluster',
        '--name',
        clusterName,
        '--kubeconfig',
        kubeconfigPath,
      ]);
      expect(runner.clusters.size).toBe(0);
      expect(existsSync(kubeconfigPath)).toBe(false);
      expect(existsSync(handle!.caFile!)).toBe(false);
      expect(await ledgerDirs()).toEqual(dirsBefore);
      expect(existsSync(runner.created[0]!.node.dir)).toBe(false);
      // Every archive kind loaded was removed after the load.
      for (const archive of runner.created[0]!.loader.archives) expect(existsSync(archive.path)).toBe(false);
      // Only the content-hash cache images stay (by design), nothing else this run built.
      for (const ref of runner.built)
        expect(await imageExists(ref)).toBe(Object.values(handle!.images).includes(ref));
      expect(runner.unexpected).toEqual([]);
    },
  );

  it('a warm start reuses the kept cluster: nothing rebuilt or reloaded, and the reused cluster outlives teardown', async () => {
    const projectRoot = await projectCopy('warm');
    const clusterName = `gwrt-${nonce}-warm`;
    const first = await setup(projectRoot, clusterName, { options: { keep: 'always' } });
    const cold = await first.run;
    await cold.teardown();
    const { runner } = first;
    expect(runner.deleted).toEqual([]);
    expect(runner.clusters.has(clusterName)).toBe(true);
    expect(existsSync(first.kubeconfigPath)).toBe(true);

    const before = runner.calls.length;
    const second = await setup(projectRoot, clusterName, {
      after: { runner, ports: first.ports },
      options: { reuseCluster: true },
    });
    const warm = await second.run;
    const calls = runner.calls.slice(before).map((c) => c.argv);
    expect(warm.images).toEqual(cold.images);
    expect(calls).toContainEqual(['kind', 'get', 'kubeconfig', '--name', clusterName]);
    // The node's images were listed and every one was already there: no build, no archive, no load.
    expect(calls).toContainEqual([
      'podman',
      'exec',
      `${clusterName}-control-plane`,
      'crictl',
      'images',
      '-o',
      'json',
    ]);
    expect(calls.filter((a) => a[0] === 'podman' && ['build', 'save'].includes(a[1]!))).toEqual([]);
    expect(calls.filter((a) => a[0] === 'kind' && ['create', 'load'].includes(a[1]!))).toEqual([]);
    expect((await fetch(`${warm.endpoints.gatewayHealthUrl}/readyz`)).status).toBe(200);

    // The cluster existed before this setup: its teardown leaves it (and its kubeconfig) as found.
    await warm.teardown();
    expect(runner.deleted).toEqual([]);
    expect(runner.clusters.has(clusterName)).toBe(true);
    expect(existsSync(second.kubeconfigPath)).toBe(true);

    // Deleting it on purpose (what `kubernaut-e2e down` does) passes its own kubeconfig to kind.
    await second.toolchain.cluster.delete(clusterName);
    expect(runner.calls.at(-1)?.argv).toEqual([
      'kind',
      'delete',
      'cluster',
      '--name',
      clusterName,
      '--kubeconfig',
      second.kubeconfigPath,
    ]);
    expect(runner.clusters.size).toBe(0);
    await rm(second.kubeconfigPath, { force: true });
    expect(runner.unexpected).toEqual([]);
  });

  it('a broken gateway Dockerfile fails its build step; the cluster, kubeconfig and built images are removed', async () => {
    const projectRoot = await projectCopy('broken');
    await appendFile(
      join(projectRoot, 'docker', 'gateway.Dockerfile'),
      'COPY cmd/no-such-directory/ /missing/\n',
    );
    const clusterName = `gwrt-${nonce}-b`;
    // The builds run at once: the failure cancels the sibling build, which stops only its RUN step (it has none
    // here, so it finishes) and never kills podman — its image is then removed like anything else the run made.
    const dirsBefore = await ledgerDirs();
    const { runner, run, kubeconfigPath } = await setup(projectRoot, clusterName);
    const error = await run.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).stepId).toBe('build:gateway');
    expect((error as Error).message).toContain('no-such-directory');
    expect(runner.unexpected).toEqual([]);
    // keep=never: the cluster this run created is deleted, its kubeconfig removed.
    expect(runner.created.map((c) => c.name)).toEqual([clusterName]);
    expect(runner.deleted).toContain(clusterName);
    expect(runner.clusters.size).toBe(0);
    expect(existsSync(kubeconfigPath)).toBe(false);
    // Whatever this run built (DataStorage, fresh content) is removed again; nothing left in temp.
    expect(runner.built.length).toBeGreaterThan(0);
    for (const ref of runner.built)
      expect({ ref, exists: await imageExists(ref) }).toEqual({ ref, exists: false });
    expect(await ledgerDirs()).toEqual(dirsBefore);

    // Run it again unchanged: it fails the same way (the failed build left podman intermediate images
    // labelled with its content hash; none of them may pass for the gateway image).
    const retry = await setup(projectRoot, clusterName);
    const again = await retry.run.catch((e: unknown) => e);
    expect(again).toBeInstanceOf(StepError);
    expect((again as StepError).stepId).toBe('build:gateway');
    expect(retry.runner.deleted).toContain(clusterName);
    expect(existsSync(retry.kubeconfigPath)).toBe(false);
  });
});
