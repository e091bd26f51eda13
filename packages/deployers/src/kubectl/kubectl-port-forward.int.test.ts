import { connect } from 'node:net';
import { createCommandRunner, type KubeClient } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeKubeApi, startFakeKubeApi } from '../testing-internal/fake-kube-api.js';
import { createKubectlClient } from './kubectl-client.js';

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Real `kubectl port-forward` through the client, against the in-memory API server: the client starts
 * kubectl, reads the local port kubectl chose from its real "Forwarding from" line, that port accepts
 * connections, and close() ends kubectl so the port is released.
 */
describeWithBinaries(['kubectl'], { kubectl: 'kubernetes-client' }, () => {
  let api: FakeKubeApi;
  let kube: KubeClient;
  const previousCacheDir = process.env.KUBECACHEDIR;

  beforeAll(async () => {
    api = await startFakeKubeApi();
    process.env.KUBECACHEDIR = api.cacheDir; // kubectl children inherit it: no discovery cache left in ~/.kube
    api.addService('e2e', 'postgresql', 5432);
    kube = createKubectlClient({ runner: createCommandRunner(), kubeconfigPath: api.kubeconfigPath });
  });
  afterAll(async () => {
    if (previousCacheDir === undefined) delete process.env.KUBECACHEDIR;
    else process.env.KUBECACHEDIR = previousCacheDir;
    await api?.close();
  });

  it('forwards a free local port chosen by kubectl, and close() releases it', async () => {
    const forward = await kube.portForward('e2e', 'svc/postgresql', 5432);
    expect(forward.localPort).toBeGreaterThan(1023);
    expect(api.portForwards).toEqual(['/api/v1/namespaces/e2e/pods/postgresql-0/portforward']);
    expect(await canConnect(forward.localPort)).toBe(true);
    await forward.close();
    await forward.close(); // idempotent
    expect(await canConnect(forward.localPort)).toBe(false);
  });

  it('two forwards to the same service get different local ports', async () => {
    const [a, b] = await Promise.all([
      kube.portForward('e2e', 'svc/postgresql', 5432),
      kube.portForward('e2e', 'svc/postgresql', 5432),
    ]);
    try {
      expect(a!.localPort).not.toBe(b!.localPort);
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it("a missing service fails with kubectl's error instead of hanging", async () => {
    await expect(kube.portForward('e2e', 'svc/absent', 5432)).rejects.toThrow(/services "absent" not found/);
  });
});
