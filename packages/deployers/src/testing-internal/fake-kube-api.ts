/**
 * Test-only: the few Kubernetes API endpoints `kubectl rollout status` and `kubectl wait` use on
 * Deployments (legacy discovery, GET, list and watch), served over plain HTTP from memory. It lets the
 * REAL kubectl binary run against Deployments whose state a test controls, so the client is exercised
 * end to end and kubectl's real output is what the parsers see. Not a general API server: no apply (that
 * needs the OpenAPI documents), no exec, no port-forward.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type DeploymentState = 'progressing' | 'available' | 'deadline-exceeded';

export interface FakeKubeApi {
  /** A kubeconfig (mode 0600, in a temp dir) pointing at the server. */
  readonly kubeconfigPath: string;
  /** Adds or changes a Deployment; open watches receive the change at once. */
  setDeployment(namespace: string, name: string, state: DeploymentState): void;
  /** Resolves once a client watches that Deployment (so a later change is seen as a change, not a start state). */
  whenWatched(namespace: string, name: string): Promise<void>;
  /** Every request path the server saw, for assertions on what kubectl asked. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

interface Entry {
  readonly namespace: string;
  readonly name: string;
  state: DeploymentState;
  resourceVersion: number;
}

let resourceVersionCounter = 100;

function deploymentObject(e: Entry): object {
  const available = e.state === 'available';
  const conditions = [
    {
      type: 'Available',
      status: available ? 'True' : 'False',
      reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      message: 'fake',
    },
    e.state === 'deadline-exceeded'
      ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'fake' }
      : {
          type: 'Progressing',
          status: 'True',
          reason: available ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
          message: 'fake',
        },
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: e.name,
      namespace: e.namespace,
      uid: `uid-${e.namespace}-${e.name}`,
      generation: 1,
      resourceVersion: String(e.resourceVersion),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: e.name } },
      template: {
        metadata: { labels: { app: e.name } },
        spec: { containers: [{ name: e.name, image: 'fake' }] },
      },
    },
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: available ? 1 : 0,
      availableReplicas: available ? 1 : 0,
      ...(available ? {} : { unavailableReplicas: 1 }),
      conditions,
    },
  };
}

const DISCOVERY: Record<string, object> = {
  '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0' },
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [
      {
        name: 'apps',
        versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
      },
    ],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'v1',
    resources: [
      {
        name: 'pods',
        singularName: 'pod',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get', 'list', 'watch'],
        shortNames: ['po'],
      },
    ],
  },
  '/apis/apps/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'apps/v1',
    resources: [
      {
        name: 'deployments',
        singularName: 'deployment',
        namespaced: true,
        kind: 'Deployment',
        verbs: ['get', 'list', 'watch'],
        shortNames: ['deploy'],
      },
    ],
  },
};

export async function startFakeKubeApi(): Promise<FakeKubeApi> {
  const entries = new Map<string, Entry>();
  const watches = new Set<{ namespace: string; name: string | undefined; res: ServerResponse }>();
  const requests: string[] = [];
  const watchWaiters: { namespace: string; name: string; resolve: () => void }[] = [];

  const send = (res: ServerResponse, code: number, body: object) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: ServerResponse, what: string) =>
    send(res, 404, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: `${what} not found`,
    });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const discovery = DISCOVERY[url.pathname];
    if (discovery) return send(res, 200, discovery);
    const match = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return notFound(res, url.pathname);
    const namespace = match[1]!;
    const fieldName = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
    const name = match[2] ?? fieldName;
    const selected = [...entries.values()].filter(
      (e) => e.namespace === namespace && (name === undefined || e.name === name),
    );
    if (match[2]) {
      const entry = selected[0];
      return entry
        ? send(res, 200, deploymentObject(entry))
        : notFound(res, `deployments.apps "${match[2]}"`);
    }
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      const watch = { namespace, name, res };
      watches.add(watch);
      res.on('close', () => watches.delete(watch));
      for (const waiter of watchWaiters.splice(0)) {
        if (waiter.namespace === namespace && (name === undefined || waiter.name === name)) waiter.resolve();
        else watchWaiters.push(waiter);
      }
      return;
    }
    return send(res, 200, {
      kind: 'DeploymentList',
      apiVersion: 'apps/v1',
      metadata: { resourceVersion: String(resourceVersionCounter) },
      items: selected.map(deploymentObject),
    });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dir = await mkdtemp(join(tmpdir(), 'kubernaut-fakeapi-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfigPath,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- cluster: {server: "http://127.0.0.1:${port}"}`,
      '  name: fake',
      'contexts:',
      '- context: {cluster: fake, user: fake}',
      '  name: fake',
      'current-context: fake',
      'users:',
      '- name: fake',
      '  user: {}',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );

  return {
    kubeconfigPath,
    requests,
    whenWatched(namespace, name) {
      if ([...watches].some((w) => w.namespace === namespace && (w.name === undefined || w.name === name)))
        return Promise.resolve();
      return new Promise((resolve) => watchWaiters.push({ namespace, name, resolve }));
    },
    setDeployment(namespace, name, state) {
      const key = `${namespace}/${name}`;
      const entry = entries.get(key) ?? { namespace, name, state, resourceVersion: 0 };
      const existed = entries.has(key);
      entry.state = state;
      entry.resourceVersion = ++resourceVersionCounter;
      entries.set(key, entry);
      const event = `${JSON.stringify({ type: existed ? 'MODIFIED' : 'ADDED', object: deploymentObject(entry) })}\n`;
      for (const w of watches)
        if (w.namespace === namespace && (w.name === undefined || w.name === name)) w.res.write(event);
    },
    async close() {
      for (const w of watches) w.res.end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
