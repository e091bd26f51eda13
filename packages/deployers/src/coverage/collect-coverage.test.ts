import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolNotFoundError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKubectlClient } from '../kubectl/kubectl-client.js';
import { serviceManifests } from '../manifests/service-manifests.js';
import { collectCoverage, formatCoverage } from './collect-coverage.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../__fixtures__/coverage/${name}`, import.meta.url), 'utf8');
const nodesJson = readFileSync(new URL('../__fixtures__/diagnostics/nodes.json', import.meta.url), 'utf8');
const KUBECONFIG = '/tmp/run/kubeconfig';
const kubectl = ['kubectl', '--kubeconfig', KUBECONFIG];
const NS = 'kubernaut-e2e';
const NODE = 'gateway-e2e-control-plane';

/** The Deployments of a namespace as `kubectl get deployments -o json` prints them: the gateway with coverage, PostgreSQL without. */
function deploymentsJson(): string {
  const gateway = serviceManifests({
    name: 'gateway',
    namespace: NS,
    image: 'localhost/kubernaut/gateway:gateway-e2e-1a2b3c4d5e6f',
    ports: [{ name: 'http', port: 8080 }],
    coverage: true,
  }).find((o) => o.kind === 'Deployment');
  const postgres = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'postgresql', namespace: NS },
    spec: {
      selector: { matchLabels: { app: 'postgresql' } },
      template: {
        spec: { containers: [{ name: 'postgresql', env: [{ name: 'POSTGRES_DB', value: 'x' }] }] },
      },
    },
  };
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [postgres, gateway] });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-coverage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What podman cp does: the node's /coverdata files land in the destination directory. */
const podmanCp = {
  match: (argv: readonly string[]) => argv[0] === 'podman' && argv[1] === 'cp',
  respond: ({ argv }: { argv: readonly string[] }) => {
    writeFileSync(join(argv[3]!, 'covmeta.cce1b350af34b6d0fb59cc1725f0ee27'), 'meta');
    writeFileSync(
      join(argv[3]!, 'covcounters.cce1b350af34b6d0fb59cc1725f0ee27.821598.1663006712821344241'),
      'c',
    );
    return {};
  },
};

function scriptTeardown(runner: ScriptedRunner, selector: string): void {
  runner.expect(
    { argv: [...kubectl, 'get', 'deployments', '-n', NS, '-o', 'json'], stdout: deploymentsJson() },
    { argv: [...kubectl, 'scale', 'deployment/gateway', '-n', NS, '--replicas=0'] },
    { argv: [...kubectl, 'wait', '--for=delete', 'pods', '-n', NS, '-l', selector, '--timeout=120s'] },
    { argv: [...kubectl, 'get', 'nodes', '-o', 'json'], stdout: nodesJson },
    { ...podmanCp, description: 'podman cp' },
  );
}

describe('collectCoverage', () => {
  it('scales only the instrumented deployments, waits for their pods, copies every node, and reports', async () => {
    const runner = new ScriptedRunner();
    const selector = 'app=gateway';
    scriptTeardown(runner, selector);
    const data = join(dir, 'covdata');
    runner.expect(
      { argv: ['go', 'version'], stdout: fixture('go-version-go1.22.stdout.txt') },
      {
        argv: ['go', 'tool', 'covdata', 'percent', `-i=${data}`],
        stdout: fixture('covdata-percent-go1.22.stdout.txt'),
      },
      { argv: ['go', 'tool', 'covdata', 'textfmt', `-i=${data}`, `-o=${join(dir, 'coverage.txt')}`] },
      {
        argv: ['go', 'tool', 'cover', `-html=${join(dir, 'coverage.txt')}`, '-o', join(dir, 'coverage.html')],
      },
    );
    const report = await collectCoverage({
      kube: createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }),
      engine: createPodmanEngine(runner),
      runner,
      namespace: NS,
      dir,
      projectRoot: '/src/kubernaut',
    });
    runner.assertAllUsed();
    // podman cp copied the node's directory contents (`/coverdata/.`) into <dir>/covdata.
    expect(runner.argvs.find((a) => a[1] === 'cp')).toEqual(['podman', 'cp', `${NODE}:/coverdata/.`, data]);
    // The HTML report runs where the source is.
    expect(runner.calls.find((c) => c.argv.includes(`-html=${join(dir, 'coverage.txt')}`))?.options.cwd).toBe(
      '/src/kubernaut',
    );
    expect(report).toMatchObject({
      scaled: ['gateway'],
      copiedFrom: [NODE],
      files: 2,
      profile: join(dir, 'coverage.txt'),
      html: join(dir, 'coverage.html'),
      pending: [],
      warnings: [],
    });
    expect(report.packages).toHaveLength(4);
    const printed = formatCoverage(report).join('\n');
    expect(printed).toContain('github.com/jordigilh/kubernaut/pkg/gateway             72.4% of statements');
    expect(printed).toContain(`profile (codecov): ${join(dir, 'coverage.txt')}`);
  });

  it('without Go ≥ 1.20 keeps the raw data and says which commands process it', async () => {
    const runner = new ScriptedRunner();
    scriptTeardown(runner, 'app=gateway');
    runner.expect({ argv: ['go', 'version'], stdout: fixture('go-version-go1.19.stdout.txt') });
    const report = await collectCoverage({
      kube: createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }),
      engine: createPodmanEngine(runner),
      runner,
      namespace: NS,
      dir,
    });
    runner.assertAllUsed();
    expect(await readdir(join(dir, 'covdata'))).toHaveLength(2);
    expect(report.packages).toBeUndefined();
    expect(report.go?.text).toBe('go1.19.8');
    const data = join(dir, 'covdata');
    expect(report.pending).toEqual([
      ['go', 'tool', 'covdata', 'percent', `-i=${data}`],
      ['go', 'tool', 'covdata', 'textfmt', `-i=${data}`, `-o=${join(dir, 'coverage.txt')}`],
      ['go', 'tool', 'cover', `-html=${join(dir, 'coverage.txt')}`, '-o', join(dir, 'coverage.html')],
    ]);
    const printed = formatCoverage(report).join('\n');
    expect(printed).toContain('go1.19.8 is too old for `go tool covdata`');
    expect(printed).toContain(`    go tool covdata percent -i=${data}`);
  });

  it('with no go on PATH says so, and never fails the teardown', async () => {
    const runner = new ScriptedRunner();
    scriptTeardown(runner, 'app=gateway');
    runner.expect({
      argv: ['go', 'version'],
      error: new ToolNotFoundError('go', 'apt-get install golang-go'),
    });
    const report = await collectCoverage({
      kube: createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }),
      engine: createPodmanEngine(runner),
      runner,
      namespace: NS,
      dir,
    });
    expect(report.go).toBeUndefined();
    expect(report.warnings).toEqual(['no `go` on PATH: Go 1.20 or later processes the data']);
    expect(report.pending).toHaveLength(3);
  });

  it('goes on past a node without data and a failed report, and says what is missing', async () => {
    const runner = new ScriptedRunner([
      { argv: [...kubectl, 'get', 'deployments', '-n', NS, '-o', 'json'], stdout: deploymentsJson() },
      { argv: [...kubectl, 'scale', 'deployment/gateway', '-n', NS, '--replicas=0'] },
      {
        match: (argv) => argv.includes('wait'),
        exitCode: 1,
        stderr: 'error: timed out waiting for the condition on pods/gateway-6f9c7b8d5-x2x7q',
      },
      {
        match: (argv) => argv[1] === 'cp' && argv[2]!.startsWith('worker'),
        exitCode: 125,
        stderr: 'Error: container "worker" does not exist',
      },
      { ...podmanCp },
      { argv: ['go', 'version'], stdout: fixture('go-version-go1.22.stdout.txt') },
      { match: (argv) => argv.includes('percent'), stdout: fixture('covdata-percent-go1.20.stdout.txt') },
      { match: (argv) => argv.includes('textfmt') },
      {
        match: (argv) => argv.includes('cover'),
        exitCode: 1,
        stderr: 'cover: no required module provides package github.com/jordigilh/kubernaut/pkg/gateway',
      },
    ]);
    const report = await collectCoverage({
      kube: createKubectlClient({ runner, kubeconfigPath: KUBECONFIG }),
      engine: createPodmanEngine(runner),
      runner,
      namespace: NS,
      dir,
      nodeContainers: ['worker', NODE],
      waitTimeoutMs: 5_000,
    });
    runner.assertAllUsed();
    expect(report.copiedFrom).toEqual([NODE]);
    expect(report.profile).toBe(join(dir, 'coverage.txt'));
    expect(report.html).toBeUndefined();
    expect(report.pending).toEqual([
      ['go', 'tool', 'cover', `-html=${join(dir, 'coverage.txt')}`, '-o', join(dir, 'coverage.html')],
    ]);
    expect(report.warnings.map((w) => w.split(':')[0])).toEqual([
      'waiting for the pods of deployment/gateway to go',
      'copying /coverdata out of worker',
      `\`go tool cover -html=${join(dir, 'coverage.txt')} -o ${join(dir, 'coverage.html')}\``,
    ]);
  });
});
