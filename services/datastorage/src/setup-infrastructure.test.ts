import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterCreateRequest, ConfigError, ErrorCode, RunLedger, StepError } from '@kubernaut-e2e/core';
import { isBuiltImage } from '@kubernaut-e2e/orchestrator';
import {
  FIXTURE_PROJECT_ROOT,
  resolveSetup,
  setupInfrastructure,
  traceOfFailedSetup,
} from '@kubernaut-e2e/setup';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { afterAll, describe, expect, it } from 'vitest';
import { dataStorageService, setupDataStorageInfrastructure } from './datastorage.js';

// A failed setup writes its diagnostics under outputDir: keep them in a temp dir the suite removes.
const outputDir = mkdtempSync(join(tmpdir(), 'kubernaut-ds-setup-test-'));
afterAll(() => rmSync(outputDir, { recursive: true, force: true }));
const sim = { runtime: 'sim' as const, env: {}, outputDir };

describe('setupInfrastructure on the simulated toolchain', () => {
  it('returns a ready handle whose endpoints use the host ports of kubernaut’s datastorage suite', async () => {
    await using infra = await setupDataStorageInfrastructure(sim);
    expect(infra.runtime).toBe('sim');
    expect(infra.clusterName).toBe('datastorage-e2e');
    expect(infra.namespace).toBe('datastorage-e2e');
    // DataStorage serves TLS from the run's CA, as in kubernaut's suite; health and metrics are plain HTTP.
    expect(infra.endpoints).toMatchObject({
      dataStorageUrl: 'https://localhost:28090',
      dataStorageHealthUrl: 'http://localhost:28092',
      dataStorageMetricsUrl: 'http://localhost:28091',
    });
    expect(infra.endpoints.postgresUrl).toMatch(/@localhost:25433\/action_history$/);
    expect(infra.images.datastorage).toMatch(
      /^localhost\/kubernaut\/datastorage:datastorage-e2e-[0-9a-f]{12,}$/,
    );
    const setupSteps = infra.trace.steps.filter((s) => s.kind !== 'teardown');
    expect(setupSteps.every((s) => s.outcome === 'succeeded')).toBe(true);
  });

  it('tears the cluster down at scope exit unless the keep policy is always', async () => {
    const toolchain = createSimToolchain();
    {
      await using infra = await setupInfrastructure(dataStorageService, { ...sim, toolchain });
      expect(infra.runtime).toBe('custom');
      expect(toolchain.world.clusters.has('datastorage-e2e')).toBe(true);
    }
    expect(toolchain.world.clusters.has('datastorage-e2e')).toBe(false);

    const kept = await setupInfrastructure(dataStorageService, { ...sim, toolchain, keep: 'always' });
    await kept.teardown();
    expect(toolchain.world.clusters.has('datastorage-e2e')).toBe(true);
  });

  it('refuses a second setup of the same cluster while the first is up, and allows it after teardown', async () => {
    const first = await setupDataStorageInfrastructure(sim);
    const error = await setupDataStorageInfrastructure(sim).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe('clusterName');
    await first.teardown();
    const again = await setupDataStorageInfrastructure(sim);
    await again.teardown();
  });

  it('refuses a host port that another running setup already publishes, naming the port field', async () => {
    await using first = await setupDataStorageInfrastructure(sim);
    const error = await setupDataStorageInfrastructure({
      ...sim,
      clusterName: 'datastorage-second',
      hostPorts: { postgresql: 35432 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      'hostPorts.datastorage',
      'hostPorts.datastorageHealth',
      'hostPorts.datastorageMetrics',
    ]);
    expect(first.endpoints.dataStorageUrl).toContain('28090');
  });

  it.each([
    [{ pattern: 'fastest' }, 'pattern'],
    [{ runtime: 'kubernetes' }, 'runtime'],
    [{ clusterName: '-leading-dash' }, 'clusterName'],
    [{ clusterName: 'x'.repeat(51) }, 'clusterName'],
    [{ keep: 'sometimes' }, 'keep'],
    [{ hostPorts: { datastorage: 70000 } }, 'hostPorts.datastorage'],
    [{ hostPorts: { frontend: 8080 } }, 'hostPorts.frontend'],
    [{ hostPorts: { datastorage: 25433 } }, 'hostPorts.postgresql'],
    [{ projectRoot: '/nonexistent/kubernaut' }, 'projectRoot'],
    [{ runtime: 'podman', kubeconfigPath: '/proc/1/kubernaut/config' }, 'kubeconfigPath'],
  ])('refuses bad input %j before anything runs, naming %s', async (options, field) => {
    const toolchain = createSimToolchain();
    const error = await setupInfrastructure(dataStorageService, {
      env: {},
      toolchain,
      ...(options as object),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toContain(field);
    expect(toolchain.world.events).toEqual([]);
  });

  it('reads KEEP_CLUSTER like the CLI: true keeps the cluster, an unknown value is refused by name', async () => {
    const toolchain = createSimToolchain();
    const kept = await setupInfrastructure(dataStorageService, {
      runtime: 'sim',
      env: { KEEP_CLUSTER: 'true' },
      toolchain,
    });
    await kept.teardown();
    expect(toolchain.world.clusters.has('datastorage-e2e')).toBe(true);
    const error = await setupDataStorageInfrastructure({
      runtime: 'sim',
      env: { KEEP_CLUSTER: 'maybe' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe('KEEP_CLUSTER');
  });

  it('on a failed step, names the step, deletes the cluster, and keeps the trace up to the failure', async () => {
    const toolchain = createSimToolchain({ faults: [{ op: 'build', target: 'datastorage', fail: true }] });
    const error = await setupInfrastructure(dataStorageService, { ...sim, toolchain }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).stepId).toBe('build:datastorage');
    expect((error as StepError).code).toBe(ErrorCode.Step);
    const trace = traceOfFailedSetup(error);
    expect(trace?.steps.find((s) => s.id === 'build:datastorage')?.outcome).toBe('failed');
    expect(toolchain.world.clusters.has('datastorage-e2e')).toBe(false);
    // The failed run released its claims: the same setup can run again at once.
    const again = await setupDataStorageInfrastructure(sim);
    await again.teardown();
  });

  it("with a caller's toolchain and ledger: removes the kubeconfig it wrote and what the ledger holds, never a kubeconfig that was there", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubernaut-setup-test-'));
    try {
      // A caller's toolchain whose cluster writes a kubeconfig and whose adapters record into the caller's ledger.
      const make = (faults: Parameters<typeof createSimToolchain>[0] = {}) => {
        const toolchain = createSimToolchain(faults);
        const ledger = new RunLedger();
        const create = toolchain.cluster.create.bind(toolchain.cluster);
        toolchain.cluster.create = async (request: ClusterCreateRequest) => {
          await writeFile(request.kubeconfigPath, 'apiVersion: v1\nkind: Config\n');
          await ledger.tempDir('sim-kind-config');
          return create(request);
        };
        return { toolchain, ledger };
      };
      const kubeconfigPath = join(dir, 'written.kubeconfig');
      const ok = make();
      const infra = await setupInfrastructure(dataStorageService, { ...sim, ...ok, kubeconfigPath });
      expect(existsSync(kubeconfigPath)).toBe(true);
      expect(ok.ledger.entries).toEqual([]); // temp dirs are gone once setup succeeded
      await infra.teardown();
      expect(existsSync(kubeconfigPath)).toBe(false);

      const failing = make({ faults: [{ op: 'rollout', target: 'datastorage', fail: true }] });
      await expect(
        setupInfrastructure(dataStorageService, { ...sim, ...failing, kubeconfigPath }),
      ).rejects.toBeInstanceOf(StepError);
      expect(existsSync(kubeconfigPath)).toBe(false);
      expect(failing.ledger.entries).toEqual([]);

      // A file the caller had there before is theirs.
      const mine = join(dir, 'mine.kubeconfig');
      await writeFile(mine, 'mine');
      const kept = make();
      await (
        await setupInfrastructure(dataStorageService, { ...sim, ...kept, kubeconfigPath: mine })
      ).teardown();
      expect(existsSync(mine)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never deletes a cluster it reused (one that existed before the run) at teardown', async () => {
    const toolchain = createSimToolchain({ existingClusters: ['datastorage-e2e'] });
    const infra = await setupInfrastructure(dataStorageService, { ...sim, toolchain, reuseCluster: true });
    await infra.teardown();
    expect(toolchain.world.clusters.has('datastorage-e2e')).toBe(true);
  });

  it('keeps the cluster of a failed run with keep on-failure, to debug it', async () => {
    const toolchain = createSimToolchain({ faults: [{ op: 'rollout', target: 'datastorage', fail: true }] });
    await expect(
      setupInfrastructure(dataStorageService, { ...sim, toolchain, keep: 'on-failure' }),
    ).rejects.toBeInstanceOf(StepError);
    expect(toolchain.world.clusters.has('datastorage-e2e')).toBe(true);
  });

  it('orders the same steps by pattern: dag beats hybrid beats standard on the same model', async () => {
    const makespan = async (pattern: 'dag' | 'hybrid' | 'standard') => {
      const infra = await setupDataStorageInfrastructure({ ...sim, pattern });
      await infra.teardown();
      return infra.trace.makespanMs;
    };
    const [dag, hybrid, standard] = [
      await makespan('dag'),
      await makespan('hybrid'),
      await makespan('standard'),
    ];
    expect(dag).toBeLessThan(hybrid);
    expect(hybrid).toBeLessThan(standard);
    // dag: the DataStorage build (95 s) → load (15 s) → apply (its RBAC and TLS Secrets were applied while it
    // built, by the manifests and config steps) → ready (8 s).
    expect(dag).toBe(118_000);
  });

  it('skips every build with a warm cache', async () => {
    await using infra = await setupDataStorageInfrastructure({ ...sim, simWarmCache: true });
    const build = infra.trace.steps.find((s) => s.id === 'build:datastorage')!;
    expect(build.end! - build.start!).toBe(1_000);
  });
});

describe('resolveSetup: the repository’s kind config and coverage', () => {
  const configOf = (declaration: { cluster: { config?: unknown } }) =>
    declaration.cluster.config as {
      nodes: { image?: string; extraMounts?: { hostPath: string; containerPath: string }[] }[];
    };

  it('starts from test/infrastructure/kind-datastorage-config.yaml, which already maps both host ports', async () => {
    const { declaration, notes, coverageDir } = await resolveSetup(dataStorageService, {
      runtime: 'sim',
      env: {},
    });
    expect(notes[0]).toBe(
      "kind config: test/infrastructure/kind-datastorage-config.yaml, used as is (it already maps the setup's 4 host port(s))",
    );
    expect(configOf(declaration).nodes[0]?.image).toMatch(/^kindest\/node:v1\.36\.1@sha256:/);
    // The file mounts ./coverdata (the project root's, as the setup resolves it) whether coverage is on or not.
    expect(coverageDir).toBe(join(FIXTURE_PROJECT_ROOT, 'coverdata'));
  });

  it('with coverage on, builds with coverage and lets the file’s /coverdata mount take the coverage data', async () => {
    const { declaration, coverageDir } = await resolveSetup(dataStorageService, {
      runtime: 'sim',
      env: { E2E_COVERAGE: 'true' },
    });
    expect(declaration.images.filter(isBuiltImage).every((i) => i.build.enableCoverage)).toBe(true);
    expect(coverageDir).toBe(join(FIXTURE_PROJECT_ROOT, 'coverdata'));
    expect(configOf(declaration).nodes[0]?.extraMounts).toEqual([
      { hostPath: join(FIXTURE_PROJECT_ROOT, 'coverdata'), containerPath: '/coverdata', readOnly: false },
    ]);
  });

  it('refuses an E2E_COVERDIR the file does not mount, naming both; with the built kind config it is mounted', async () => {
    const env = { E2E_COVERAGE: 'true', E2E_COVERDIR: '/tmp/kubernaut-coverage' };
    const error = await resolveSetup(dataStorageService, { runtime: 'sim', env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.message).toContain(
      'by test/infrastructure/kind-datastorage-config.yaml nodes[0].extraMounts[0] and from /tmp/kubernaut-coverage by setup coverage directory (E2E_COVERDIR)',
    );

    const built = await resolveSetup(dataStorageService, { runtime: 'sim', env, kindConfig: false });
    expect(built.coverageDir).toBe('/tmp/kubernaut-coverage');
    expect(configOf(built.declaration).nodes[0]?.extraMounts).toEqual([
      { hostPath: '/tmp/kubernaut-coverage', containerPath: '/coverdata' },
    ]);
  });

  it('with the built kind config and coverage off, mounts nothing', async () => {
    const { declaration, coverageDir } = await resolveSetup(dataStorageService, {
      runtime: 'sim',
      env: {},
      kindConfig: false,
    });
    expect(coverageDir).toBeUndefined();
    expect(configOf(declaration).nodes[0]?.extraMounts).toBeUndefined();
  });
});
