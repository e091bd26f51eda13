import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIXTURE_PROJECT_ROOT } from '../project-root.js';
import { setupInfrastructure } from '../setup-infrastructure.js';
import { defineService } from './define-service.js';

/*
 * Repository manifests from a kustomize directory, rendered by the real `kubectl kustomize` (no cluster needed), as a
 * declaration's `manifests` entry reads them: before anything runs, into the run's namespace, with the run's images.
 */
describeWithBinaries(['kubectl'], { kubectl: 'kubernetes-client' }, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-kustomize-'));
    for (const part of ['docker', 'cmd', 'config', 'migrations'])
      await cp(join(FIXTURE_PROJECT_ROOT, part), join(root, part), { recursive: true });
    const app = join(root, 'deploy', 'worker');
    await mkdir(app, { recursive: true });
    await writeFile(
      join(app, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: kubernaut-system\nresources:\n  - deployment.yaml\n  - service-account.yaml\nimages:\n  - name: quay.io/example/worker\n    newTag: v1.2.3\n',
    );
    await writeFile(
      join(app, 'deployment.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  selector:\n    matchLabels: { app: worker }\n  template:\n    metadata:\n      labels: { app: worker }\n    spec:\n      serviceAccountName: worker\n      containers:\n        - name: worker\n          image: quay.io/example/worker:latest\n',
    );
    await writeFile(
      join(app, 'service-account.yaml'),
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: worker\n',
    );
    const broken = join(root, 'deploy', 'broken');
    await mkdir(broken, { recursive: true });
    await writeFile(
      join(broken, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - nosuch.yaml\n',
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const spec = (from: string) =>
    defineService({
      name: 'worker',
      namespace: 'worker-e2e',
      hostPorts: {},
      images: { worker: { dockerfile: 'docker/gateway.Dockerfile', imageName: 'kubernaut/worker' } },
      manifests: [{ id: 'worker', from, images: { 'quay.io/example/worker': 'worker' } }],
    });

  it('applies what kubectl kustomize renders, in the run’s namespace, running the image the run built', async () => {
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(spec('deploy/worker'), {
      runtime: 'sim',
      env: {},
      toolchain,
      projectRoot: root,
      kubeconfigPath: join(root, 'kubeconfig'),
      outputDir: join(root, 'out'),
    });
    const cluster = toolchain.world.clusters.get(infra.clusterName)!;
    const deployment = cluster.objectsOfKind('Deployment').find((o) => o.metadata.name === 'worker')!;
    expect(deployment.metadata.namespace).toBe('worker-e2e');
    const image = (deployment.spec as { template: { spec: { containers: { image: string }[] } } }).template
      .spec.containers[0]!.image;
    // kustomize set the tag v1.2.3; the run replaced the image with the one it built and loaded.
    expect(image).toBe(infra.images.worker);
    expect(cluster.deployment('worker-e2e', 'worker')?.readyAt).toBeDefined();
  });

  it('refuses a kustomize directory that does not render, naming the field, before anything runs', async () => {
    const toolchain = createSimToolchain();
    const error = await setupInfrastructure(spec('deploy/broken'), {
      runtime: 'sim',
      env: {},
      toolchain,
      projectRoot: root,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues[0]!;
    expect(issue.path).toBe('manifests[0].from');
    expect(issue.message).toContain('deploy/broken is a kustomize directory that does not render');
    expect(issue.message).toContain('nosuch.yaml');
    expect(toolchain.world.events).toEqual([]);
  });
});
