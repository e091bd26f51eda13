import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKindProvider } from '@kubernaut-e2e/cluster';
import { RunLedger } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayDeclaration } from '../__fixtures__/gateway.js';
import { planSetup } from '../plan/plan-setup.js';
import { createFakeToolchain } from '../testing-internal/fake-toolchain.js';
import { runPlan } from './run-plan.js';

/*
 * A failed run used to call `kind delete` twice: the scheduler's finalizer deleted the cluster, then the
 * run's ledger deleted it again through the entry the kind adapter had recorded. Here the real kind
 * provider records into a real ledger, only the `kind` process is scripted, and the argv calls are counted.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-one-delete-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A `kind` that keeps its clusters in a set: get / create (writes the kubeconfig) / delete. */
function scriptedKind() {
  const clusters = new Set<string>();
  const runner = new ScriptedRunner([
    {
      match: (argv) => argv[0] === 'kind' && argv[1] === 'get' && argv[2] === 'clusters',
      times: Number.POSITIVE_INFINITY,
      respond: () =>
        clusters.size ? { stdout: [...clusters].join('\n') } : { stderr: 'No kind clusters found.' },
    },
    {
      match: (argv) => argv[0] === 'kind' && argv[1] === 'create' && argv[2] === 'cluster',
      respond: ({ argv }) => {
        clusters.add(argv[argv.indexOf('--name') + 1]!);
        writeFileSync(argv[argv.indexOf('--kubeconfig') + 1]!, 'apiVersion: v1\nkind: Config\n');
        return {};
      },
    },
    {
      match: (argv) => argv[0] === 'kind' && argv[1] === 'delete' && argv[2] === 'cluster',
      times: Number.POSITIVE_INFINITY,
      respond: ({ argv }) => {
        clusters.delete(argv[argv.indexOf('--name') + 1]!);
        return {};
      },
    },
  ]);
  const deletes = () => runner.argvs.filter((a) => a[0] === 'kind' && a[1] === 'delete');
  return { runner, clusters, deletes };
}

/**
 * The real kind provider over the scripted `kind`, and a gateway build that fails once the cluster exists
 * (it waits for that state, so the failure never comes before `kind create` however the machine is loaded).
 */
function failingRun(runner: ScriptedRunner, ledger: RunLedger) {
  const fake = createFakeToolchain();
  const provider = createKindProvider({ runner, engine: 'podman', ledger });
  let created: () => void = () => {};
  const clusterExists = new Promise<void>((resolve) => {
    created = resolve;
  });
  const toolchain = {
    ...fake,
    cluster: {
      ...provider,
      create: async (...args: Parameters<typeof provider.create>) => {
        const info = await provider.create(...args);
        created();
        return info;
      },
    },
    imageBuilder: {
      build: async (...args: Parameters<typeof fake.imageBuilder.build>) => {
        if (args[0].serviceName !== 'gateway') return fake.imageBuilder.build(...args);
        await clusterExists;
        throw new Error('gateway build failed: boom');
      },
    },
  };
  const declaration = gatewayDeclaration();
  const plan = planSetup(
    {
      ...declaration,
      cluster: { ...declaration.cluster, kubeconfigPath: join(dir, 'gateway-e2e.kubeconfig') },
    },
    { pattern: 'dag' },
  );
  return { toolchain, plan };
}

describe('a failed run deletes its cluster exactly once', () => {
  it('when the scheduler cleans the ledger', async () => {
    const kind = scriptedKind();
    const ledger = new RunLedger({ tempRoot: dir });
    const { toolchain, plan } = failingRun(kind.runner, ledger);

    const result = await runPlan(plan, toolchain, { ledger });

    expect(result.ok).toBe(false);
    expect(result.error?.message).toContain('build:gateway');
    expect(kind.deletes()).toEqual([
      [
        'kind',
        'delete',
        'cluster',
        '--name',
        'gateway-e2e',
        '--kubeconfig',
        join(dir, 'gateway-e2e.kubeconfig'),
      ],
    ]);
    expect(kind.clusters.size).toBe(0);
    expect(ledger.entries).toEqual([]);
  });

  it('when the caller cleans the ledger itself afterwards (cleanupLedger: false, as a setup does)', async () => {
    const kind = scriptedKind();
    const ledger = new RunLedger({ tempRoot: dir });
    const { toolchain, plan } = failingRun(kind.runner, ledger);

    const result = await runPlan(plan, toolchain, { ledger, cleanupLedger: false });
    const report = await ledger.cleanup(result.clusterKept ? { keepKinds: ['cluster'] } : {});

    expect(result.ok).toBe(false);
    expect(kind.deletes()).toHaveLength(1);
    // The kind config's temp dir was the adapter's only other record; the cluster entries were settled.
    expect(report.failed).toEqual([]);
    expect(report.disposed.every((name) => name.startsWith(dir))).toBe(true);
  });

  it('the ledger still deletes the cluster when the finalizer could not (one retry, not two)', async () => {
    const kind = scriptedKind();
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[1] === 'delete',
        stderr: 'ERROR: failed to delete cluster "gateway-e2e": podman is busy',
        exitCode: 1,
      },
    ]);
    // The first `kind delete` fails; later ones go to the scripted kind.
    const original = kind.runner.run.bind(kind.runner);
    let failedOnce = false;
    kind.runner.run = async (file, args, options) => {
      if (!failedOnce && args[0] === 'delete') {
        failedOnce = true;
        return runner.run(file, args, options);
      }
      return original(file, args, options);
    };
    const ledger = new RunLedger({ tempRoot: dir });
    const { toolchain, plan } = failingRun(kind.runner, ledger);

    const result = await runPlan(plan, toolchain, { ledger });

    expect(result.finalizerErrors.map((e) => e.message).join('\n')).toContain('podman is busy');
    expect(kind.deletes()).toHaveLength(1); // the ledger's retry (the failed first try went to `runner`)
    expect(runner.argvs).toHaveLength(1);
    expect(kind.clusters.size).toBe(0);
    expect(result.clusterKept).toBe(false);
  });
});
