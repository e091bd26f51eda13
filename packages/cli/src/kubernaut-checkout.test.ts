import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type BinExit, runBin as run } from './testing-internal/run-bin.js';

/*
 * This repository's project config (every kubernaut suite but the mock LLM's, the FMC suite in its two lanes) run by
 * the real binary against a copy of the fixture
 * project, which is laid out like a kubernaut checkout: `--project-root <checkout>`, as on a real one. PATH holds
 * only recording shims for podman, docker, kind and kubectl, so anything real that ran would be on record.
 */
const WORKSPACE = resolve(import.meta.dirname, '../../..');
const ROOT_CONFIG = join(WORKSPACE, 'kubernaut-e2e.config.ts');
const FIXTURE = join(WORKSPACE, 'services', 'fixture-project');

let work: string;
let checkout: string;
let shims: string;

function runBin(args: string[], cwd = work) {
  return run(args, { cwd, env: { PATH: shims, HOME: shims, CI: 'true' } });
}

const nothingRan = () => existsSync(join(shims, 'calls.log')) === false;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` (pnpm test does) first`);
  shims = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-shims-'));
  for (const tool of ['podman', 'docker', 'kind', 'kubectl']) {
    await writeFile(join(shims, tool), `#!/bin/sh\necho "${tool} $*" >> "${shims}/calls.log"\nexit 1\n`);
    await chmod(join(shims, tool), 0o755);
  }
  work = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-checkout-'));
  checkout = join(work, 'kubernaut');
  await cp(FIXTURE, checkout, { recursive: true });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(shims, { recursive: true, force: true });
});

/** The 13 images kubernaut's full pipeline builds and the chart's migration image, by image id. */
const FULL_PIPELINE_IMAGES = [
  'aianalysis',
  'apifrontend',
  'authwebhook',
  'datastorage',
  'db-migrate',
  'effectivenessmonitor',
  'fleetmetadatacache',
  'gateway',
  'kubernautagent',
  'mock-llm',
  'notification',
  'remediationorchestrator',
  'signalprocessing',
  'workflowexecution',
] as const;

// Service, its suite's kind config, what the setup does with it, the pattern, the images it builds, one endpoint.
const SERVICES = [
  [
    'gateway',
    'test/infrastructure/kind-gateway-config.yaml',
    // The suite's own ports: everything the setup publishes is mapped there already.
    'used as is',
    'dag',
    ['datastorage', 'gateway'],
    'gatewayUrl       http://localhost:8080',
  ],
  [
    'datastorage',
    'test/infrastructure/kind-datastorage-config.yaml',
    'used as is',
    'dag',
    ['datastorage'],
    'dataStorageUrl   https://localhost:28090',
  ],
  [
    'notification',
    'test/infrastructure/kind-notification-config.yaml',
    'used as is',
    'dag',
    ['authwebhook', 'datastorage', 'notification'],
    'metricsUrl       http://localhost:9186',
  ],
  [
    'authwebhook',
    'test/e2e/authwebhook/kind-config.yaml',
    'used as is',
    'dag',
    ['authwebhook', 'datastorage'],
    'webhookUrl       https://localhost:30099',
  ],
  [
    'remediationorchestrator',
    'test/infrastructure/kind-remediationorchestrator-config.yaml',
    'used as is',
    'hybrid',
    ['authwebhook', 'datastorage', 'remediationorchestrator'],
    'metricsUrl       http://localhost:9183',
  ],
  [
    'signalprocessing',
    'test/infrastructure/kind-signalprocessing-config.yaml',
    'used as is',
    'hybrid',
    ['datastorage', 'signalprocessing'],
    'metricsUrl       http://localhost:9182',
  ],
  [
    'workflowexecution',
    'test/infrastructure/kind-workflowexecution-config.yaml',
    'used as is',
    'hybrid',
    ['authwebhook', 'datastorage', 'workflowexecution'],
    'metricsUrl       http://localhost:9185',
  ],
  [
    'aianalysis',
    'test/infrastructure/kind-aianalysis-config.yaml',
    'used as is',
    'hybrid',
    ['aianalysis', 'datastorage', 'kubernautagent', 'mock-llm'],
    'healthUrl        http://localhost:8184',
  ],
  [
    'effectivenessmonitor',
    'test/infrastructure/kind-effectivenessmonitor-config.yaml',
    'used as is',
    'hybrid',
    ['authwebhook', 'datastorage', 'effectivenessmonitor'],
    'prometheusUrl    http://localhost:9190',
  ],
  [
    'kubernautagent',
    'test/infrastructure/kind-kubernautagent-config.yaml',
    'used as is',
    'hybrid',
    ['datastorage', 'kubernautagent', 'mock-llm'],
    'dexUrl           https://localhost:5556',
  ],
  [
    'apifrontend',
    // The suite reuses the kubernautagent suite's kind config.
    'test/infrastructure/kind-kubernautagent-config.yaml',
    'used as is',
    'hybrid',
    ['apifrontend', 'datastorage', 'kubernautagent', 'mock-llm'],
    'apifrontendUrl   https://localhost:18443',
  ],
  [
    'fleetmetadatacache',
    'test/infrastructure/kind-fleetmetadatacache-config.yaml',
    'used as is',
    'hybrid',
    ['fleetmetadatacache'],
    'fleetmetadatacacheUrl https://localhost:8150',
  ],
  [
    'fleetmetadatacache-eaigw',
    'test/infrastructure/kind-fleetmetadatacache-eaigw-config.yaml',
    'used as is',
    'hybrid',
    ['fleetmetadatacache'],
    'keycloakUrl      https://localhost:30557',
  ],
  [
    'fullpipeline',
    'test/infrastructure/kind-fullpipeline-config.yaml',
    'used as is',
    'hybrid',
    FULL_PIPELINE_IMAGES,
    'dexUrl           https://localhost:30556',
  ],
  [
    'fleet',
    // The fleet suite runs the full pipeline's setup, on its kind config.
    'test/infrastructure/kind-fullpipeline-config.yaml',
    'used as is',
    'hybrid',
    FULL_PIPELINE_IMAGES,
    'keycloakUrl      https://localhost:30557',
  ],
] as const;

/** Services whose setup installs no CRD: the FMC lanes (FMC serves none) and the two the Helm chart would install. */
const NO_CRDS: readonly string[] = [
  'fleetmetadatacache',
  'fleetmetadatacache-eaigw',
  'fullpipeline',
  'fleet',
];

describe('the kubernaut suites of this repository’s config, on a checkout-shaped project', () => {
  it('declares every suite kubernaut has but the mock LLM’s, which runs a container and no cluster', async () => {
    const run = await runBin(['--help', '--config', ROOT_CONFIG]);
    expect(run.code).toBe(0);
    const section = run.stdout.slice(run.stdout.indexOf('Services (from')).split('\n\n')[0]!;
    const declared = section
      .split('\n')
      .slice(1)
      .map((line) => /^ {2}(\S+)/.exec(line)?.[1]);
    expect(declared.sort()).toEqual(SERVICES.map(([service]) => service).sort());
    expect(declared).not.toContain('mockllm');
  });

  it.each(SERVICES)('plan %s starts from %s (%s)', async (service, kindConfig, outcome, pattern, images) => {
    const run = await runBin(['plan', service, '--config', ROOT_CONFIG, '--project-root', checkout]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [header, kindNote] = run.stdout.split('\n');
    expect(header).toMatch(new RegExp(`^Plan for ${service} \\(${pattern}\\): \\d+ steps$`));
    expect(kindNote).toMatch(new RegExp(`^ {2}kind config: ${kindConfig}, ${outcome}`));
    for (const image of images) expect(run.stdout).toMatch(new RegExp(`build:${image}\\s`));
    if (NO_CRDS.includes(service)) expect(run.stdout).not.toMatch(/^ {2}crds\s/m);
    else expect(run.stdout).toMatch(/crds\s+← .*cluster/);
    expect(nothingRan()).toBe(true);
  });

  it.each(SERVICES)('up %s --runtime sim', async (service, _kind, _outcome, pattern, images, endpoint) => {
    const run = await runBin([
      'up',
      service,
      '--runtime',
      'sim',
      '--config',
      ROOT_CONFIG,
      '--project-root',
      checkout,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${service} infrastructure is ready (${pattern}, sim)`);
    expect(run.stdout).toContain(endpoint);
    const listed = run.stdout
      .slice(run.stdout.indexOf('Images:'))
      .split('\n')
      .slice(1)
      .map((line) => /^ {2}(\S+)\s+localhost\//.exec(line)?.[1])
      .filter((id) => id !== undefined);
    expect(listed.sort()).toEqual([...images]);
    expect(nothingRan()).toBe(true);
  });
});

// The same on a real kubernaut checkout, when there is one (CI has none; `KUBERNAUT_CHECKOUT=~/src/kubernaut`).
const REAL_CHECKOUT = process.env.KUBERNAUT_CHECKOUT;
describe.runIf(REAL_CHECKOUT)(
  `on the real checkout ${REAL_CHECKOUT ?? '(KUBERNAUT_CHECKOUT not set)'}`,
  () => {
    it.each(SERVICES)(
      'plan and up %s --runtime sim',
      async (service, kindConfig, _outcome, pattern, images) => {
        const root = ['--config', ROOT_CONFIG, '--project-root', REAL_CHECKOUT!];
        const plan = await runBin(['plan', service, ...root]);
        expect(plan.code, plan.stderr).toBe(0);
        expect(plan.stdout.split('\n')[1]).toMatch(new RegExp(`^ {2}kind config: ${kindConfig}, used as is`));
        const up = await runBin(['up', service, '--runtime', 'sim', ...root]);
        expect(up.code, up.stderr).toBe(0);
        expect(up.stdout).toContain(`${service} infrastructure is ready (${pattern}, sim)`);
        for (const image of images) expect(up.stdout).toMatch(new RegExp(`^ {2}${image}\\s+localhost/`, 'm'));
        expect(nothingRan()).toBe(true);
      },
      // Two CLI processes (plan, then up) of the largest declarations, on shared cores.
      60_000,
    );
  },
);

/** A project config in its own directory (packages resolved from this workspace), for the cases below. */
async function projectConfig(name: string, body: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await symlink(join(WORKSPACE, 'node_modules'), join(dir, 'node_modules'));
  const file = join(dir, 'kubernaut-e2e.config.ts');
  await writeFile(file, body);
  return dir;
}

function expectRefused(run: BinExit, ...named: string[]): void {
  expect(run.code).toBe(2);
  for (const text of named) expect(run.stderr).toContain(text);
  expect(run.stderr).toContain('Nothing was run');
  expect(run.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  expect(nothingRan()).toBe(true);
}

describe('bad input on a checkout: exit 2, the file and the field named, nothing run', () => {
  it('a kind config that is not kind.x-k8s.io/v1alpha4', async () => {
    const copy = join(work, 'v1alpha3');
    await cp(checkout, copy, { recursive: true });
    const file = join(copy, 'test/infrastructure/kind-gateway-config.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('kind.x-k8s.io/v1alpha4', 'kind.x-k8s.io/v1alpha3'),
    );
    // A real runtime: had the setup gone past validation, the shims would have recorded the calls.
    const run = await runBin([
      'up',
      'gateway',
      '--runtime',
      'podman',
      '--config',
      ROOT_CONFIG,
      '--project-root',
      copy,
    ]);
    expectRefused(
      run,
      `Invalid kind config ${file} (kindConfig of service "gateway")`,
      'apiVersion must be "kind.x-k8s.io/v1alpha4"',
      '→ at apiVersion',
    );
  });

  it('a CRD glob that matches nothing', async () => {
    const dir = await projectConfig(
      'glob',
      `import { dataStorageStack } from '@kubernaut-e2e/datastorage';
import { defineConfig, defineService } from '@kubernaut-e2e/setup';

export default defineConfig({
  projectRoot: ${JSON.stringify(checkout)},
  services: [
    defineService({
      name: 'orders',
      uses: [dataStorageStack],
      hostPorts: { datastorage: 19081, postgresql: 19432 },
      crds: ['config/crd/bases/orders.kubernaut.ai_*.yaml'],
    }),
  ],
});
`,
    );
    const run = await runBin(['up', 'orders', '--runtime', 'podman'], dir);
    expectRefused(
      run,
      `Invalid CRDs of service "orders" (project root ${checkout})`,
      `glob "config/crd/bases/orders.kubernaut.ai_*.yaml" matched no file under ${checkout}`,
      '→ at crds[0]',
    );
  });

  it('a host port both the kind config and the setup map, to different node ports', async () => {
    const dir = await projectConfig(
      'clash',
      `import { gatewayService } from '@kubernaut-e2e/gateway';
import { defineConfig } from '@kubernaut-e2e/setup';

export default defineConfig({
  projectRoot: ${JSON.stringify(checkout)},
  services: [gatewayService],
  overrides: { gateway: { hostPorts: { datastorageHealth: 28185 } } },
});
`,
    );
    const run = await runBin(['up', 'gateway', '--runtime', 'podman'], dir);
    expectRefused(
      run,
      'Invalid kind config test/infrastructure/kind-gateway-config.yaml of service "gateway"',
      'host port 28185/TCP is mapped to container port 30185 by test/infrastructure/kind-gateway-config.yaml nodes[0].extraPortMappings[5] and to container port 30281 by setup hostPorts.datastorageHealth',
      '→ at setup hostPorts.datastorageHealth',
    );
  });
});
