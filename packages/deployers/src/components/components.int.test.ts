import { createCommandRunner, type KubeClient } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKubectlClient } from '../kubectl/kubectl-client.js';
import { serviceManifests } from '../manifests/service-manifests.js';
import { type FakeKubeApi, startFakeKubeApi } from '../testing-internal/fake-kube-api.js';
import { datastorageManifests } from './datastorage.js';
import { postgresqlManifests } from './postgresql.js';
import { redisManifests } from './redis.js';

/**
 * Component manifests through the REAL kubectl: objects rendered to YAML on stdin, parsed by kubectl and
 * sent as server-side apply requests to the in-memory API server, which records them; then the rollout
 * wait, which finishes when the test makes the Deployment available. (In a run, the orchestrator's
 * deploy and wait-ready steps make exactly these calls.)
 */
describeWithBinaries(['kubectl'], { kubectl: 'kubernetes-client' }, () => {
  let api: FakeKubeApi;
  let kube: KubeClient;
  const previousCacheDir = process.env.KUBECACHEDIR;

  beforeAll(async () => {
    api = await startFakeKubeApi();
    process.env.KUBECACHEDIR = api.cacheDir; // kubectl children inherit it: no discovery cache left in ~/.kube
    kube = createKubectlClient({ runner: createCommandRunner(), kubeconfigPath: api.kubeconfigPath });
  });
  afterAll(async () => {
    if (previousCacheDir === undefined) delete process.env.KUBECACHEDIR;
    else process.env.KUBECACHEDIR = previousCacheDir;
    await api?.close();
  });

  /** Makes each Deployment available once kubectl watches it, as a kubelet would once the pod is ready. */
  function becomeAvailable(namespace: string, ...names: string[]): void {
    for (const name of names)
      void api.whenWatched(namespace, name).then(() => api.setDeployment(namespace, name, 'available'));
  }

  it('PostgreSQL: kubectl server-side-applies exactly the manifests, then the rollout completes', async () => {
    const before = api.applied.length;
    becomeAvailable('pg-ns', 'postgresql');
    await kube.apply(postgresqlManifests({ namespace: 'pg-ns' }));
    await kube.rolloutStatus('deployment/postgresql', 'pg-ns', 30_000);

    const sent = api.applied.slice(before);
    expect(sent.map((a) => a.path)).toEqual([
      '/api/v1/namespaces/pg-ns/secrets/postgresql-secret',
      '/api/v1/namespaces/pg-ns/services/postgresql',
      '/apis/apps/v1/namespaces/pg-ns/deployments/postgresql',
    ]);
    for (const a of sent) {
      expect(a.fieldManager).toBe('kubernaut-e2e');
      expect(a.force).toBe('true');
      expect(a.contentType).toBe('application/apply-patch+yaml');
    }
    expect(sent.map((a) => a.object)).toEqual(postgresqlManifests({ namespace: 'pg-ns' }));
  });

  it('DataStorage: cluster-scoped RBAC, the config file and coverage mount arrive intact', async () => {
    const before = api.applied.length;
    const options = {
      namespace: 'ds-ns',
      image: 'localhost/kubernaut/datastorage:ds-0123456789ab',
      coverage: true,
    };
    becomeAvailable('ds-ns', 'datastorage');
    await kube.apply(datastorageManifests(options));
    await kube.rolloutStatus('deployment/datastorage', 'ds-ns', 30_000);
    const sent = api.applied.slice(before);
    expect(sent.map((a) => a.path)).toContain(
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/ds-ns-data-storage-sa',
    );
    expect(sent.map((a) => a.object)).toEqual(datastorageManifests(options));
  });

  it('Redis and a NodePort gateway applied side by side, both rolled out', async () => {
    const gateway = serviceManifests({
      name: 'gateway',
      namespace: 'reg-ns',
      image: 'localhost/kubernaut/gateway:gw-0123456789ab',
      ports: [{ name: 'http', port: 8080 }],
      nodePorts: { http: 30080 },
      probes: { readiness: { type: 'http', path: '/ready', port: 'http' } },
    });
    becomeAvailable('reg-ns', 'redis', 'gateway');
    await Promise.all([kube.apply(redisManifests({ namespace: 'reg-ns' })), kube.apply(gateway)]);
    await Promise.all(
      ['deployment/redis', 'deployment/gateway'].map((d) => kube.rolloutStatus(d, 'reg-ns', 30_000)),
    );
    const service = api.applied.find((a) => a.path === '/api/v1/namespaces/reg-ns/services/gateway')!;
    expect(service.object.spec).toMatchObject({
      type: 'NodePort',
      ports: [{ name: 'http', port: 8080, nodePort: 30080 }],
    });
  });
});
