import type { ExistingClusterRunOps } from '@kubernaut-e2e/cluster';
import type { KubeClient, KubeObject } from '@kubernaut-e2e/core';
import type { Toolchain } from '@kubernaut-e2e/orchestrator';
import { describe, expect, it } from 'vitest';
import { hostPortsOfNodePorts, sharedClusterRun } from './shared-cluster-run.js';

const NS = 'orders-20261202-083319-d25c';

function world(rolloutFails = false) {
  const applied: KubeObject[] = [];
  const forwards: { args: unknown[]; closed: boolean }[] = [];
  const deletions: { namespace: string; objects: readonly KubeObject[] }[] = [];
  const patched: string[] = [];
  const kube = {
    async apply(objects: readonly KubeObject[]) {
      applied.push(...objects);
    },
    async patch(resource: string) {
      patched.push(resource);
    },
    async rolloutStatus() {
      if (rolloutFails) throw new Error('timed out');
    },
  } as unknown as KubeClient;
  const ops: ExistingClusterRunOps = {
    async forwardPort(...args) {
      const forward = { args: args.slice(0, 4), closed: false };
      forwards.push(forward);
      return {
        close: async () => {
          forward.closed = true;
        },
      };
    },
    async deleteRunObjects(namespace, objects) {
      deletions.push({ namespace, objects });
    },
  };
  const run = sharedClusterRun({ kube: () => kube } as unknown as Toolchain, {
    ops,
    namespace: NS,
    hostPortOfNodePort: new Map([[30100, 19380]]),
  });
  return { run, kube: run.toolchain.kube('/tmp/run.kubeconfig'), applied, patched, forwards, deletions };
}

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'orders', namespace: NS },
  spec: {
    type: 'NodePort',
    selector: { app: 'orders' },
    ports: [{ name: 'http', port: 8080, nodePort: 30100 }],
  },
};
const deployment = (name: string, app: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: NS },
  spec: { template: { metadata: { labels: { app } }, spec: { containers: [] } } },
});
const clusterObject = (
  kind: string,
  name: string,
  apiVersion = 'rbac.authorization.k8s.io/v1',
): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name },
});

describe('sharedClusterRun', () => {
  it('applies Services without node ports (cluster-wide, they would collide between runs)', async () => {
    const { kube, applied } = world();
    await kube.apply([service], {});
    expect(applied[0]!.spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'orders' },
      ports: [{ name: 'http', port: 8080 }],
    });
  });

  it('forwards the host port once the workload behind the Service rolled out, once, and closes it', async () => {
    const { run, kube, forwards } = world();
    await kube.apply([service, deployment('orders', 'orders'), deployment('worker', 'worker')], {});
    await kube.rolloutStatus('deployment/worker', NS, 1000);
    expect(forwards).toEqual([]);
    await kube.rolloutStatus('deployment/orders', NS, 1000);
    await kube.rolloutStatus('deployment/orders', NS, 1000);
    expect(forwards.map((f) => f.args)).toEqual([[NS, 'service/orders', 19380, 8080]]);
    await run.closeForwards();
    expect(forwards[0]!.closed).toBe(true);
  });

  it('opens no forward when the rollout fails', async () => {
    const { kube, forwards } = world(true);
    await kube.apply([service, deployment('orders', 'orders')], {});
    await expect(kube.rolloutStatus('deployment/orders', NS, 1000)).rejects.toThrow('timed out');
    expect(forwards).toEqual([]);
  });

  it('cleanup deletes the namespace and only the cluster-scoped objects named for it: never CRDs, never shared ones', async () => {
    const { run, kube, deletions } = world();
    const own = clusterObject('ClusterRole', `${NS}-orders`);
    await kube.apply(
      [
        clusterObject('CustomResourceDefinition', 'orders.kubernaut.ai', 'apiextensions.k8s.io/v1'),
        clusterObject('PriorityClass', 'orders-critical', 'scheduling.k8s.io/v1'),
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        own,
      ],
      {},
    );
    await run.cleanup();
    expect(deletions).toEqual([{ namespace: NS, objects: [own] }]);
  });

  it('makes webhook configurations the run’s own: named for its namespace, asked only about it, deleted with it', async () => {
    const { run, kube, applied, patched, deletions } = world();
    const validating: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'authwebhook-validating' },
      webhooks: [{ name: 'notificationrequest.validate.kubernaut.ai', failurePolicy: 'Fail' }],
    };
    await kube.apply([validating], {});
    expect(applied[0]).toMatchObject({
      metadata: { name: `${NS}-authwebhook-validating` },
      webhooks: [
        {
          name: 'notificationrequest.validate.kubernaut.ai',
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NS } },
        },
      ],
    });
    // The CA bundle is patched under the name the manifests know.
    await kube.patch('validatingwebhookconfiguration/authwebhook-validating', undefined, [], {});
    expect(patched).toEqual([`validatingwebhookconfiguration/${NS}-authwebhook-validating`]);
    await run.cleanup();
    expect(deletions[0]!.objects.map((o) => o.metadata.name)).toEqual([`${NS}-authwebhook-validating`]);
  });

  it('hostPortsOfNodePorts reads the setup’s kind port mappings', () => {
    const config = { nodes: [{ extraPortMappings: [{ containerPort: 30100, hostPort: 19380 }] }] };
    expect([...hostPortsOfNodePorts(config)]).toEqual([[30100, 19380]]);
    expect(hostPortsOfNodePorts(undefined).size).toBe(0);
  });
});
