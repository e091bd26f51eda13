import { createCommandRunner, type KubeClient } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKubectlClient } from '../kubectl/kubectl-client.js';
import { type FakeKubeApi, startFakeKubeApi } from '../testing-internal/fake-kube-api.js';
import { patchWebhookCaBundle } from '../tls/patch-ca-bundle.js';
import { generateWebhookCertificates } from '../tls/webhook-certificates.js';
import { webhookTlsSecret } from '../tls/webhook-tls-secret.js';
import { datastorageManifests, deployDataStorage } from './datastorage.js';
import { deployPostgreSQL, postgresqlManifests } from './postgresql.js';
import { deployComponent, parseComponents } from './registry.js';

/**
 * Component deployers end to end with the REAL kubectl: objects rendered to YAML on stdin, parsed by
 * kubectl and sent as server-side apply requests to the in-memory API server, which records them; then
 * the rollout wait, which finishes when the test makes the Deployment available.
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

  it('deployPostgreSQL: kubectl server-side-applies exactly the manifests, then the rollout completes', async () => {
    const before = api.applied.length;
    becomeAvailable('pg-ns', 'postgresql');
    const endpoint = await deployPostgreSQL(kube, { namespace: 'pg-ns', rolloutTimeoutMs: 30_000 });
    expect(endpoint.host).toBe('postgresql.pg-ns.svc.cluster.local');

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

  it('deployDataStorage: cluster-scoped RBAC, the config file and coverage mount arrive intact', async () => {
    const before = api.applied.length;
    const options = {
      namespace: 'ds-ns',
      image: 'localhost/kubernaut/datastorage:ds-0123456789ab',
      coverage: true,
      rolloutTimeoutMs: 30_000,
    };
    becomeAvailable('ds-ns', 'datastorage');
    await deployDataStorage(kube, options);
    const sent = api.applied.slice(before);
    expect(sent.map((a) => a.path)).toContain(
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/ds-ns-data-storage-sa',
    );
    expect(sent.map((a) => a.object)).toEqual(datastorageManifests(options));
  });

  it('registry: validated specs deploy side by side (Redis and a NodePort gateway at once)', async () => {
    const specs = parseComponents([
      { kind: 'redis', namespace: 'reg-ns', rolloutTimeoutMs: 30_000 },
      {
        kind: 'service',
        name: 'gateway',
        namespace: 'reg-ns',
        image: 'localhost/kubernaut/gateway:gw-0123456789ab',
        ports: [{ name: 'http', port: 8080 }],
        nodePorts: { http: 30080 },
        probes: { readiness: { type: 'http', path: '/ready', port: 'http' } },
        rolloutTimeoutMs: 30_000,
      },
    ]);
    becomeAvailable('reg-ns', 'redis', 'gateway');
    const results = await Promise.all(specs.map((spec) => deployComponent(kube, spec)));
    expect(results.map((r) => r.kind)).toEqual(['redis', 'service']);
    const service = api.applied.find((a) => a.path === '/api/v1/namespaces/reg-ns/services/gateway')!;
    expect(service.object.spec).toMatchObject({
      type: 'NodePort',
      ports: [{ name: 'http', port: 8080, nodePort: 30080 }],
    });
  });

  it('webhook TLS: the Secret is applied and the caBundle JSON patch reaches every webhook', async () => {
    const certs = await generateWebhookCertificates({ serviceName: 'authwebhook', namespace: 'aw-ns' });
    const secret = webhookTlsSecret({ name: 'authwebhook-tls', namespace: 'aw-ns' }, certs);
    await kube.apply([secret]);
    expect(api.applied.at(-1)!.object).toEqual(secret);

    // The webhook configuration as the authwebhook deployer applies it, without a caBundle yet.
    const webhook = (name: string) => ({
      name: `${name}.kubernaut.ai`,
      clientConfig: { service: { name: 'authwebhook', namespace: 'aw-ns', path: `/${name}` } },
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
    });
    await kube.apply([
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'authwebhook' },
        webhooks: [webhook('remediation'), webhook('approval')],
      },
    ]);
    await patchWebhookCaBundle(
      kube,
      { kind: 'MutatingWebhookConfiguration', name: 'authwebhook', webhookCount: 2 },
      certs.caCertificatePem,
    );
    const patch = api.jsonPatches.at(-1)!;
    expect(patch.path).toBe(
      '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/authwebhook',
    );
    const caBundle = Buffer.from(certs.caCertificatePem).toString('base64');
    expect(patch.operations).toEqual([
      { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: caBundle },
      { op: 'add', path: '/webhooks/1/clientConfig/caBundle', value: caBundle },
    ]);
  });
});
