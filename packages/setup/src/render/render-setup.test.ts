import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type KubeObject, ToolNotFoundError } from '@kubernaut-e2e/core';
import { imageRefForKind } from '@kubernaut-e2e/image-builder';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { FIXTURE_PROJECT_ROOT } from '../project-root.js';
import { defineService } from '../service/define-service.js';
import { resolveSetup, setupInfrastructure } from '../setup-infrastructure.js';
import { renderSetup } from './render-setup.js';

/** A small service with every part `up` applies: a CRD, certificates, a Secret, RBAC, an external image, a seed. */
const shop = defineService({
  name: 'shop',
  hostPorts: { shop: 19280 },
  images: {
    shop: { dockerfile: 'docker/gateway.Dockerfile' },
    postgres: { ref: 'docker.io/library/postgres:16-alpine' },
  },
  crds: ['config/crd/bases/kubernaut.ai_actiontypes.yaml'],
  certificates: [{ secret: 'shop-tls', serves: 'shop' }],
  secrets: [{ name: 'shop-credentials', files: { password: { text: 'hunter2' } } }],
  manifests: [
    {
      id: 'shop-reader',
      objects: [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: 'shop-reader' },
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
        },
      ],
    },
  ],
  seeds: [
    {
      id: 'action-types',
      dependsOn: ['shop'],
      objects: [
        {
          apiVersion: 'kubernaut.ai/v1alpha1',
          kind: 'ActionType',
          metadata: { name: 'restart-pod' },
          spec: { name: 'RestartPod' },
          status: { registered: true },
        },
      ],
    },
  ],
  deployments: [
    { id: 'db', image: 'postgres', ports: [{ name: 'pg', port: 5432 }] },
    {
      id: 'shop',
      image: 'shop',
      dependsOn: ['db'],
      ports: [{ name: 'https', port: 8443, tls: true }],
      publish: { port: 'https', hostPort: 'shop', nodePort: 30280 },
      secretEnv: { PASSWORD: { secret: 'shop-credentials', key: 'password' } },
      volumes: [{ name: 'tls', mountPath: '/etc/tls', source: { secret: 'shop-tls' } }],
      probes: { readiness: { path: '/readyz', port: 'https' } },
    },
  ],
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-render-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = (more: Record<string, unknown> = {}) => ({
  projectRoot: FIXTURE_PROJECT_ROOT,
  kubeconfigPath: join(dir, 'kube', 'config'),
  outputDir: join(dir, 'out'),
  env: {},
  ...more,
});
const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
/** Certificates and keys are made anew by every run: masked, two renders of the same inputs are equal. */
const masked = (yaml: string) =>
  yaml.replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----\n?/g, '<pem>');

describe('renderSetup', () => {
  it('renders exactly the objects the simulated `up` applies, with the image references it runs', async () => {
    const setup = await resolveSetup(shop, options({ runtime: 'sim' }));
    const rendered = await renderSetup(setup, { showSecrets: true, env: {} });
    // Rendering ran nothing and wrote nothing: no kubeconfig, no CA file beside it.
    expect(existsSync(join(dir, 'kube'))).toBe(false);

    const sim = createSimToolchain();
    const infra = await setupInfrastructure(shop, { ...options({ runtime: 'sim' }), toolchain: sim }, setup);
    try {
      const stored = [...sim.world.clusters.get(setup.clusterName)!.objects.values()];
      expect(rendered.objects.map((r) => key(r.object)).sort()).toEqual(stored.map(key).sort());
      // Object for object what the cluster holds (the seed's status included: up writes it through the subresource).
      const byKey = new Map(stored.map((o) => [key(o), o]));
      for (const { object } of rendered.objects) expect(object, key(object)).toEqual(byKey.get(key(object)));
      expect(rendered.images).toEqual({
        shop: infra.images.shop,
        postgres: 'docker.io/library/postgres:16-alpine',
      });
    } finally {
      await infra.teardown();
    }
  });

  it('orders the documents as they must apply: the Namespace, then namespaced objects; a CRD, then its kind', async () => {
    const { yaml, objects } = await renderSetup(await resolveSetup(shop, options({ runtime: 'sim' })), {
      env: {},
    });
    const documents = parseAllDocuments(yaml).map((d) => d.toJS() as KubeObject);
    expect(documents).toEqual(objects.map((o) => o.object));
    const at = (predicate: (o: KubeObject) => boolean) => documents.findIndex(predicate);
    const namespace = at((o) => o.kind === 'Namespace');
    const crd = at((o) => o.kind === 'CustomResourceDefinition');
    for (const [i, o] of documents.entries()) {
      if (o.metadata.namespace !== undefined) expect(i, key(o)).toBeGreaterThan(namespace);
      if (o.kind === 'ActionType') expect(i, key(o)).toBeGreaterThan(crd);
    }
    // The seed waits for the shop to be ready, so it comes after the shop's Deployment.
    expect(at((o) => o.kind === 'ActionType')).toBeGreaterThan(
      at((o) => o.kind === 'Deployment' && o.metadata.name === 'shop'),
    );
    // Each document reads on its own: no YAML anchors or aliases across fields.
    expect(yaml).not.toMatch(/[&*]a\d+\b/);
    // Each document says which step applies it.
    expect(yaml).toContain(
      '---\n# crds\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition',
    );
    expect(yaml).toContain('---\n# seed:action-types\napiVersion: kubernaut.ai/v1alpha1\nkind: ActionType');
  });

  it('redacts Secret values unless asked, and renders the same stream twice once key material is masked', async () => {
    const render = async (showSecrets: boolean) =>
      renderSetup(await resolveSetup(shop, options({ runtime: 'sim' })), { env: {}, showSecrets });
    const first = await render(false);
    const secrets = first.objects.filter((o) => o.object.kind === 'Secret').map((o) => o.object);
    expect(secrets.map((s) => s.metadata.name).sort()).toEqual(['shop-credentials', 'shop-tls']);
    expect(first.yaml).not.toContain('hunter2');
    expect(first.yaml).not.toContain('PRIVATE KEY');
    expect(secrets.find((s) => s.metadata.name === 'shop-credentials')!.stringData).toEqual({
      password: '<redacted>',
    });
    expect(secrets.find((s) => s.metadata.name === 'shop-tls')!.data).toEqual({
      'tls.crt': '<redacted>',
      'tls.key': '<redacted>',
      'ca.crt': '<redacted>',
    });

    const shown = await render(true);
    expect(shown.yaml).toContain('password: hunter2');
    const tls = shown.objects.find((o) => o.object.metadata.name === 'shop-tls')!.object.data as Record<
      string,
      string
    >;
    expect(Buffer.from(tls['tls.key']!, 'base64').toString()).toContain('PRIVATE KEY');

    // The CA certificate (a ConfigMap) differs between runs; nothing else does.
    const second = await render(false);
    expect(second.yaml).not.toBe(first.yaml);
    expect(masked(second.yaml)).toBe(masked(first.yaml));
  });

  it('names built images as the podman or docker builder would, and renames them for a registry', async () => {
    const setup = await resolveSetup(shop, options({ runtime: 'podman' }));
    const build = setup.plan.steps.find((s) => s.id === 'build:shop')!.payload as { config: unknown };
    const podman = await imageRefForKind(build.config, {
      engine: 'podman',
      projectRoot: FIXTURE_PROJECT_ROOT,
      env: {},
    });
    expect((await renderSetup(setup, { env: {} })).images.shop).toBe(podman);
    const docker = await renderSetup(await resolveSetup(shop, options({ runtime: 'docker' })), { env: {} });
    expect(docker.images.shop).toBe(podman.replace(/^localhost\//, ''));

    const registry = await renderSetup(
      await resolveSetup(shop, options({ runtime: 'podman', registry: 'local' })),
      {
        env: {},
      },
    );
    expect(registry.images).toEqual({
      shop: podman.replace(/^localhost\//, 'localhost:5001/'),
      postgres: 'docker.io/library/postgres:16-alpine',
    });
    const deployment = registry.objects.find(
      (o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'shop',
    );
    expect(JSON.stringify(deployment!.object)).toContain(registry.images.shop);
    // kind's cluster step says where tools push.
    expect(registry.objects[0]).toMatchObject({
      step: 'cluster',
      object: { kind: 'ConfigMap', metadata: { name: 'local-registry-hosting', namespace: 'kube-public' } },
    });
  });

  it('in registry mode on the simulated toolchain, pods run the registry names the render shows', async () => {
    const setup = await resolveSetup(shop, options({ runtime: 'sim', registry: 'local' }));
    const rendered = await renderSetup(setup, { env: {} });
    const sim = createSimToolchain({ registry: 'localhost:5001' });
    const infra = await setupInfrastructure(
      shop,
      { ...options({ runtime: 'sim', registry: 'local' }), toolchain: sim },
      setup,
    );
    try {
      expect(rendered.images.shop).toMatch(/^localhost:5001\/kubernaut\/shop:shop-e2e-[0-9a-f]{12}$/);
      const stored = sim.world.clusters.get(setup.clusterName)!.objects;
      const applied = [...stored.values()].find(
        (o) => o.kind === 'Deployment' && o.metadata.name === 'shop',
      )!;
      const renderedDeployment = rendered.objects.find((o) => key(o.object) === key(applied))!.object;
      expect(renderedDeployment).toEqual(applied);
    } finally {
      await infra.teardown();
    }
  });

  it('on an existing cluster, renders what the shared-cluster run applies: no node ports, its own namespace', async () => {
    const setup = await resolveSetup(
      shop,
      options({
        runtime: 'podman',
        cluster: { existing: { context: 'ci' } },
        registry: { url: 'reg.example.com:5000/e2e' },
      }),
    );
    const { objects, images } = await renderSetup(setup, { env: {} });
    expect(images.shop).toMatch(/^reg\.example\.com:5000\/e2e\/kubernaut\/shop:/);
    const namespace = objects.find((o) => o.object.kind === 'Namespace')!.object;
    expect(namespace.metadata.name).toMatch(/^shop-\d{8}t\d{6}z-[0-9a-f]{8}$/);
    expect(namespace.metadata.labels).toMatchObject({ 'io.kubernaut-e2e.service': 'shop' });
    const service = objects.find(
      (o) => o.object.kind === 'Service' && o.object.metadata.name === 'shop',
    )!.object;
    expect(service.spec).toMatchObject({ type: 'ClusterIP' });
    expect(JSON.stringify(service)).not.toContain('nodePort');
    // No local-registry ConfigMap: nothing is created on a shared cluster.
    expect(objects.some((o) => o.step === 'cluster')).toBe(false);

    const refused = await renderSetup(
      await resolveSetup(
        shop,
        options({
          runtime: 'sim',
          cluster: { existing: { context: 'ci' } },
          registry: { url: 'reg.example.com:5000' },
        }),
      ),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).issues[0]!.path).toBe('cluster');
  });

  it('`auto` names images for the engine on PATH without running it, and says so when there is none', async () => {
    const shims = join(dir, 'bin');
    await rm(shims, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(shims));
    const calls = join(dir, 'calls.log');
    await writeFile(join(shims, 'docker'), `#!/bin/sh\necho "docker $*" >> "${calls}"\n`);
    await chmod(join(shims, 'docker'), 0o755);
    const setup = await resolveSetup(shop, options({ runtime: 'auto' }));
    const rendered = await renderSetup(setup, { env: { PATH: shims } });
    expect(rendered.runtime).toBe('docker');
    expect(rendered.images.shop).toMatch(/^kubernaut\/shop:shop-e2e-[0-9a-f]{16}$/);
    expect(existsSync(calls)).toBe(false);

    const none = await renderSetup(setup, { env: { PATH: join(dir, 'empty') } }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(ToolNotFoundError);
    expect((none as Error).message).toContain('--runtime');
  });
});
