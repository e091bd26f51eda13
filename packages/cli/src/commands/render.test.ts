import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isBuiltinKind, type KubeObject } from '@kubernaut-e2e/core';
import { loadConfigFile, resolveSetup, setupInfrastructure } from '@kubernaut-e2e/setup';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseCliArgs } from '../args.js';
import { setupOptionsFor } from '../setup-options.js';
import { runCli } from '../testing-internal/run-cli.js';

// From the repository root, where kubernaut-e2e.config.ts declares the services over the fixture project.
const WORKSPACE = resolve(import.meta.dirname, '../../../..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-render-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const render = (...argv: string[]) => runCli(['render', 'gateway', ...argv], {}, undefined, WORKSPACE);
const documents = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS() as KubeObject);
const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
/** Certificates and keys (PEM, and a TLS Secret's base64 values) are made anew by every run. */
const PEM = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----\n?/g;
function masked(o: KubeObject): unknown {
  const text = JSON.stringify(o).replace(/-----BEGIN [A-Z ]+-----.*?-----END [A-Z ]+-----(\\n)?/g, '<pem>');
  const object = JSON.parse(text) as KubeObject;
  if (object.type !== 'kubernetes.io/tls') return object;
  return { ...object, data: Object.keys(object.data as object) };
}

/** What `up gateway --runtime sim` leaves in the simulated cluster, with the options the CLI resolves. */
async function simulatedUp(): Promise<KubeObject[]> {
  const config = await loadConfigFile(join(WORKSPACE, 'kubernaut-e2e.config.ts'));
  const gateway = config.services.find((s) => s.name === 'gateway')!;
  const args = parseCliArgs(['up', 'gateway', '--runtime', 'sim'], {});
  const options = {
    ...setupOptionsFor(args, config, 'gateway', {}, dir),
    kubeconfigPath: join(dir, 'kube', 'config'),
  };
  const sim = createSimToolchain();
  const infra = await setupInfrastructure(
    gateway,
    { ...options, toolchain: sim },
    await resolveSetup(gateway, options),
  );
  const objects = [...sim.world.clusters.get(infra.clusterName)!.objects.values()];
  await infra.teardown();
  return objects;
}

describe('kubernaut-e2e render', () => {
  it('prints every object the simulated `up` applies, as YAML documents in an order they can apply', async () => {
    const run = await render('--runtime', 'sim', '--show-secrets');
    expect(run.code, run.stderr).toBe(0);
    const rendered = documents(run.stdout);
    const applied = await simulatedUp();
    expect(rendered.map(key).sort()).toEqual(applied.map(key).sort());
    const byKey = new Map(applied.map((o) => [key(o), o]));
    for (const o of rendered) expect(masked(o), key(o)).toEqual(masked(byKey.get(key(o))!));

    const index = (predicate: (o: KubeObject) => boolean) => rendered.findIndex(predicate);
    const namespace = index((o) => o.kind === 'Namespace');
    expect(rendered[namespace]!.metadata.name).toBe('kubernaut-system');
    const crdOf = (kind: string) =>
      index(
        (o) =>
          o.kind === 'CustomResourceDefinition' &&
          (o.spec as { names: { kind: string } }).names.kind === kind,
      );
    for (const [i, o] of rendered.entries()) {
      if (o.metadata.namespace !== undefined) expect(i, key(o)).toBeGreaterThan(namespace);
      if (isBuiltinKind(o.kind)) continue;
      expect(crdOf(o.kind), `the CRD of ${o.kind}`).toBeGreaterThanOrEqual(0);
      expect(i, key(o)).toBeGreaterThan(crdOf(o.kind));
    }
    expect(rendered.some((o) => o.kind === 'ActionType')).toBe(true);
    // Each document names the step that applies it; the gateway's own objects come last, after what it waits for.
    expect(run.stdout).toMatch(/---\n# deploy:gateway\napiVersion: /);
    expect(rendered.at(-1)!.metadata.name).toMatch(/^gateway/);
  });

  it('redacts Secret values unless --show-secrets, and prints the same stream twice apart from key material', async () => {
    const plain = await render('--runtime', 'sim');
    const again = await render('--runtime', 'sim');
    const shown = await render('--runtime', 'sim', '--show-secrets');
    const secrets = documents(plain.stdout).filter((o) => o.kind === 'Secret');
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      const values = Object.values({ ...(secret.data as object), ...(secret.stringData as object) });
      expect(values.length, secret.metadata.name).toBeGreaterThan(0);
      expect(new Set(values), secret.metadata.name).toEqual(new Set(['<redacted>']));
    }
    expect(plain.stdout).toContain('# Secret values are redacted');
    const password = documents(shown.stdout).find((o) => o.metadata.name === 'postgresql-secret')!
      .stringData as Record<string, string>;
    expect(password.POSTGRES_PASSWORD).not.toBe('<redacted>');
    expect(shown.stdout).toContain(`POSTGRES_PASSWORD: ${password.POSTGRES_PASSWORD}`);
    expect(plain.stdout).not.toContain(`POSTGRES_PASSWORD: ${password.POSTGRES_PASSWORD}`);

    expect(again.stdout.replace(PEM, '<pem>')).toBe(plain.stdout.replace(PEM, '<pem>'));
  });

  it('renders registry references with --registry', async () => {
    const run = await render('--runtime', 'sim', '--registry', 'local');
    expect(run.code, run.stderr).toBe(0);
    const gateway = documents(run.stdout).find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'gateway',
    )!;
    const [container] = (gateway.spec as { template: { spec: { containers: { image: string }[] } } }).template
      .spec.containers;
    expect(container!.image).toMatch(/^localhost:5001\/gateway:gateway-e2e-[0-9a-f]{12}$/);
  });

  it('writes the stream to --output, and --json gives the steps and objects', async () => {
    const file = join(dir, 'gateway.yaml');
    const run = await render('--runtime', 'sim', '--output-file', file);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(file);
    const written = await readFile(file, 'utf8');
    expect(written.replace(PEM, '')).toBe((await render('--runtime', 'sim')).stdout.replace(PEM, ''));

    const json = JSON.parse((await render('--runtime', 'sim', '--json')).stdout);
    expect(json.runtime).toBe('sim');
    expect(json.objects.map((o: { step: string }) => o.step)).toContain('seed:action-types');
    expect(Object.keys(json.images)).toContain('gateway');
  });

  it('exits 2 naming the field on bad input, before anything runs', async () => {
    const cases: [string[], string][] = [
      [['render', 'nosuch', '--runtime', 'sim'], '→ at service'],
      [['render', 'gateway', '--runtime', 'kind'], '→ at --runtime'],
      [['render', 'gateway', '--trace', join(dir, 't.json')], '→ at --trace'],
      [['render', 'gateway', '--output-file', join(dir, 'missing', 'x.yaml')], '→ at --output-file'],
      [['up', 'gateway', '--show-secrets'], '→ at --show-secrets'],
      [['render', 'gateway', '--cluster', 'existing:ci', '--runtime', 'podman'], '→ at registry'],
      [
        [
          'render',
          'gateway',
          '--cluster',
          'existing:ci',
          '--registry',
          'r.example.com:5000',
          '--runtime',
          'sim',
        ],
        '→ at cluster',
      ],
    ];
    for (const [argv, field] of cases) {
      const run = await runCli(argv, {}, undefined, WORKSPACE);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toContain(field);
      expect(run.stdout).toBe('');
    }
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});
