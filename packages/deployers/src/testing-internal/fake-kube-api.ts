/**
 * Test-only: the few Kubernetes API endpoints `kubectl rollout status` and `kubectl wait` use on
 * Deployments (legacy discovery, GET, list and watch), served over plain HTTP from memory. It lets the
 * REAL kubectl binary run against Deployments whose state a test controls, so the client is exercised
 * end to end and kubectl's real output is what the parsers see. It also serves Services with one Running
 * pod and accepts the port-forward upgrade (SPDY; the WebSocket attempt is refused so kubectl falls back),
 * enough for kubectl to bind its local port and print "Forwarding from". Not a general API server: no
 * apply (that needs the OpenAPI documents), no exec, and forwarded connections carry no data.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';

export type DeploymentState = 'progressing' | 'available' | 'deadline-exceeded';

export interface FakeKubeApi {
  /** A kubeconfig (mode 0600, in a temp dir) pointing at the server. */
  readonly kubeconfigPath: string;
  /**
   * A discovery cache directory inside the server's temp dir. Point `KUBECACHEDIR` at it while the tests
   * run: kubectl otherwise caches every fake server's discovery under ~/.kube/cache, outliving the test.
   */
  readonly cacheDir: string;
  /** Adds or changes a Deployment; open watches receive the change at once. */
  setDeployment(namespace: string, name: string, state: DeploymentState): void;
  /** Adds a Service selecting one Running pod `<name>-0` that exposes `port`. */
  addService(namespace: string, name: string, port: number): void;
  /** Port-forward upgrades accepted so far. */
  readonly portForwards: readonly string[];
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
      {
        name: 'pods/portforward',
        singularName: '',
        namespaced: true,
        kind: 'PodPortForwardOptions',
        verbs: ['create', 'get'],
      },
      {
        name: 'services',
        singularName: 'service',
        namespaced: true,
        kind: 'Service',
        verbs: ['get', 'list'],
        shortNames: ['svc'],
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
  const services = new Map<string, { namespace: string; name: string; port: number }>();
  const portForwards: string[] = [];
  const upgraded = new Set<Duplex>();
  const podOf = (svc: { namespace: string; name: string; port: number }) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${svc.name}-0`,
      namespace: svc.namespace,
      labels: { app: svc.name },
      uid: `pod-${svc.namespace}-${svc.name}`,
      resourceVersion: '1',
    },
    spec: {
      containers: [{ name: svc.name, image: 'fake', ports: [{ containerPort: svc.port, protocol: 'TCP' }] }],
    },
    status: { phase: 'Running' },
  });
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
    // kubectl looks the namespace up after a NotFound, to tell "no such namespace" from "no such object".
    const namespaceOnly = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(url.pathname);
    if (namespaceOnly)
      return send(res, 200, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespaceOnly[1] },
        status: { phase: 'Active' },
      });
    const core = /^\/api\/v1\/namespaces\/([^/]+)\/(services|pods)(?:\/([^/]+))?$/.exec(url.pathname);
    if (core) {
      const [, ns, kind, name] = core as unknown as [string, string, string, string | undefined];
      const inNs = [...services.values()].filter((x) => x.namespace === ns);
      if (kind === 'services') {
        const svc = inNs.find((x) => x.name === name);
        if (!svc) return notFound(res, `services "${name}"`);
        return send(res, 200, {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: svc.name, namespace: ns, uid: `svc-${ns}-${svc.name}`, resourceVersion: '1' },
          spec: {
            selector: { app: svc.name },
            ports: [{ port: svc.port, targetPort: svc.port, protocol: 'TCP' }],
          },
        });
      }
      if (name) {
        const svc = inNs.find((x) => `${x.name}-0` === name);
        return svc ? send(res, 200, podOf(svc)) : notFound(res, `pods "${name}"`);
      }
      const app = /^app=(.+)$/.exec(url.searchParams.get('labelSelector') ?? '')?.[1];
      const items = inNs.filter((x) => app === undefined || x.name === app).map(podOf);
      return send(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
    }
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
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    requests.push(`UPGRADE ${req.method} ${req.url}`);
    if ((req.headers.upgrade ?? '').toLowerCase() === 'websocket') {
      // Refusing the WebSocket tunnel makes kubectl fall back to SPDY, which needs no framing here.
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    portForwards.push(req.url ?? '');
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    socket.on('error', () => {});
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n',
    );
  });
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
    cacheDir: join(dir, 'kube-cache'),
    requests,
    portForwards,
    addService(namespace, name, port) {
      services.set(`${namespace}/${name}`, { namespace, name, port });
    },
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
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
