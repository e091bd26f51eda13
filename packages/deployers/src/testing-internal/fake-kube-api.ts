/**
 * Test-only: a small in-memory Kubernetes API server over plain HTTP, enough for the REAL kubectl binary:
 * legacy discovery and OpenAPI v3 (so kubectl validates server-side and needs no schemas) for the kinds
 * the deployers emit; server-side apply (PATCH application/apply-patch+yaml), recording every object
 * and keeping it for later GETs; JSON patches on applied objects; Deployments (get/list/watch) whose
 * rollout state the test drives; Services with one Running pod and the port-forward upgrade (SPDY — the
 * WebSocket attempt is refused so kubectl falls back), so kubectl binds its port and says "Forwarding
 * from". Not a general API server: nothing is validated, there is no exec, and forwarded connections
 * carry no data.
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
  /** Every server-side apply (PATCH) kubectl sent, in order. Applied Deployments start `progressing`. */
  readonly applied: readonly AppliedObject[];
  /** Every JSON patch (`kubectl patch --type=json`) kubectl sent: the path and the operations. */
  readonly jsonPatches: readonly { readonly path: string; readonly operations: unknown }[];
  /** Port-forward upgrades accepted so far. */
  readonly portForwards: readonly string[];
  /** Resolves once a client watches that Deployment (so a later change is seen as a change, not a start state). */
  whenWatched(namespace: string, name: string): Promise<void>;
  /** Every request path the server saw, for assertions on what kubectl asked. */
  readonly requests: readonly string[];
  /**
   * Serves these Pods (any JSON, e.g. recorded fixtures) for the namespace instead of the one Running pod
   * per Service; `get`, `describe`, `wait --for=delete` and `logs` read them.
   */
  setPods(namespace: string, pods: readonly object[]): void;
  /** Serves these Events for the namespace (filtered by `involvedObject.*` field selectors, as describe asks). */
  setEvents(namespace: string, events: readonly object[]): void;
  /** Serves these Nodes (cluster-scoped). */
  setNodes(nodes: readonly object[]): void;
  /** Every `kubectl scale` (PATCH of a Deployment's `scale` subresource): the path and the patch body. */
  readonly scales: readonly { readonly path: string; readonly patch: unknown }[];
  /** What `kubectl logs` of a pod's container prints (`previous` for the last terminated instance). */
  setLog(namespace: string, pod: string, container: string, text: string, previous?: boolean): void;
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

/** The resource types the deployers emit, served for discovery, OpenAPI and server-side apply. */
interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
}

const RESOURCES: readonly ResourceType[] = [
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'] },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'] },
  { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'] },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
  },
  ...(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'] as const).map((kind) => ({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind,
    plural: `${kind.toLowerCase()}s`,
    namespaced: !kind.startsWith('Cluster'),
  })),
  ...(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] as const).map((kind) => ({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind,
    plural: `${kind.toLowerCase()}s`,
    namespaced: false,
  })),
];

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

function discoveryDocuments(): Record<string, object> {
  const docs: Record<string, object> = {
    '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0' },
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  };
  const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => r.group))];
  docs['/apis'] = {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  };
  for (const group of ['', ...groups]) {
    const resources = RESOURCES.filter((r) => r.group === group).flatMap((r) => [
      {
        name: r.plural,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['create', 'get', 'list', 'patch', 'watch'],
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      },
      ...(r.kind === 'Pod'
        ? [
            {
              name: 'pods/portforward',
              singularName: '',
              namespaced: true,
              kind: 'PodPortForwardOptions',
              verbs: ['create', 'get'],
            },
            { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
          ]
        : []),
      ...(r.kind === 'Deployment'
        ? [
            {
              name: 'deployments/scale',
              singularName: '',
              namespaced: true,
              group: 'autoscaling',
              version: 'v1',
              kind: 'Scale',
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ]);
    docs[`/${gvPath(group, 'v1')}`] = {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/v1` : 'v1',
      resources,
    };
  }
  // OpenAPI v3: kubectl reads it to learn that PATCH takes `fieldValidation` (server-side validation), so
  // it needs no client-side schemas; every kind gets a permissive schema.
  const gvs = [...new Set(RESOURCES.map((r) => gvPath(r.group, r.version)))];
  docs['/openapi/v3'] = {
    paths: Object.fromEntries(gvs.map((gv) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=fake` }])),
  };
  for (const gv of gvs) {
    const inGv = RESOURCES.filter((r) => gvPath(r.group, r.version) === gv);
    docs[`/openapi/v3/${gv}`] = {
      openapi: '3.0.0',
      info: { title: 'fake', version: 'v1' },
      paths: Object.fromEntries(
        inGv.map((r) => [
          `/${gv}/${r.namespaced ? 'namespaces/{namespace}/' : ''}${r.plural}/{name}`,
          {
            patch: {
              'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
              parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string' } }],
              responses: {},
            },
          },
        ]),
      ),
      components: {
        schemas: Object.fromEntries(
          inGv.map((r) => [
            `fake.${r.group || 'core'}.${r.version}.${r.kind}`,
            {
              type: 'object',
              'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }],
              'x-kubernetes-preserve-unknown-fields': true,
            },
          ]),
        ),
      },
    };
  }
  return docs;
}

const DISCOVERY = discoveryDocuments();

/** One server-side apply request kubectl made. */
export interface AppliedObject {
  readonly path: string;
  readonly fieldManager: string | null;
  readonly force: string | null;
  readonly contentType: string | undefined;
  readonly object: {
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace?: string };
  } & Record<string, unknown>;
}

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
  const podsByNamespace = new Map<string, readonly object[]>();
  const eventsByNamespace = new Map<string, readonly object[]>();
  let nodes: readonly object[] = [];
  const podLogs = new Map<string, string>();
  const list = (kind: string, items: readonly object[]) => ({
    kind,
    apiVersion: 'v1',
    metadata: { resourceVersion: String(resourceVersionCounter) },
    items,
  });

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

  const applied: AppliedObject[] = [];
  /** Applied objects by API path, so kubectl can GET what it applied (as `kubectl patch` does first). */
  const stored = new Map<string, object>();
  const jsonPatches: { path: string; operations: unknown }[] = [];
  const scales: { path: string; patch: unknown }[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const scale = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)\/scale$/.exec(url.pathname);
    if (scale) {
      const [, namespace, name] = scale as unknown as [string, string, string];
      if (req.method === 'PATCH') scales.push({ path: url.pathname, patch: JSON.parse(body) as unknown });
      const replicas =
        (scales.at(-1)?.patch as { spec?: { replicas?: number } } | undefined)?.spec?.replicas ?? 1;
      return send(res, 200, {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name, namespace, resourceVersion: String(++resourceVersionCounter) },
        spec: { replicas },
        status: { replicas, selector: `app=${name}` },
      });
    }
    if (req.method === 'PATCH' && req.headers['content-type'] === 'application/json-patch+json') {
      const target = stored.get(url.pathname);
      if (!target) return notFound(res, url.pathname);
      jsonPatches.push({ path: url.pathname, operations: JSON.parse(body) });
      return send(res, 200, target);
    }
    if (req.method === 'PATCH') {
      // kubectl sends the applied object as JSON (valid YAML) with content type application/apply-patch+yaml.
      const object = JSON.parse(body) as AppliedObject['object'];
      applied.push({
        path: url.pathname,
        fieldManager: url.searchParams.get('fieldManager'),
        force: url.searchParams.get('force'),
        contentType: req.headers['content-type'],
        object,
      });
      const namespace = object.metadata.namespace ?? '';
      if (object.kind === 'Deployment' && !entries.has(`${namespace}/${object.metadata.name}`))
        api.setDeployment(namespace, object.metadata.name, 'progressing');
      if (object.kind === 'Service') {
        const ports = ((object.spec as { ports?: { port: number }[] } | undefined)?.ports ?? []).map(
          (p) => p.port,
        );
        if (ports[0] !== undefined) api.addService(namespace, object.metadata.name, ports[0]);
      }
      const result = {
        ...object,
        metadata: {
          ...object.metadata,
          uid: `uid-${namespace}-${object.metadata.name}`,
          resourceVersion: String(++resourceVersionCounter),
        },
      };
      stored.set(url.pathname, result);
      return send(res, 200, result);
    }
    const discovery = DISCOVERY[url.pathname];
    if (discovery) return send(res, 200, discovery);
    const recorded = serveRecorded(url, res);
    if (recorded) return;
    const existing = req.method === 'GET' ? stored.get(url.pathname) : undefined;
    if (existing && !url.pathname.includes('/deployments/')) return send(res, 200, existing);
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

  /** Nodes, events, and the pods and logs a test set; true when the request was one of those. */
  const serveRecorded = (url: URL, res: ServerResponse): boolean => {
    const nameOf = (o: object) => (o as { metadata?: { name?: string } }).metadata?.name;
    if (url.pathname === '/api/v1/nodes') {
      send(res, 200, list('NodeList', nodes));
      return true;
    }
    const node = /^\/api\/v1\/nodes\/([^/]+)$/.exec(url.pathname)?.[1];
    if (node !== undefined) {
      const found = nodes.find((n) => nameOf(n) === node);
      if (found) send(res, 200, found);
      else notFound(res, `nodes "${node}"`);
      return true;
    }
    const events = /^\/api\/v1\/namespaces\/([^/]+)\/events$/.exec(url.pathname)?.[1];
    if (events !== undefined) {
      // describe asks `fieldSelector=involvedObject.name=x,involvedObject.namespace=ns,involvedObject.uid=u`.
      const wanted = (url.searchParams.get('fieldSelector') ?? '')
        .split(',')
        .filter(Boolean)
        .map((term) => term.split('=') as [string, string]);
      const items = (eventsByNamespace.get(events) ?? []).filter((e) =>
        wanted.every(([path, value]) => {
          const field = path.replace(/^involvedObject\./, '');
          const involved = (e as { involvedObject?: Record<string, unknown> }).involvedObject ?? {};
          return !path.startsWith('involvedObject.') || String(involved[field] ?? '') === value;
        }),
      );
      send(res, 200, list('EventList', items));
      return true;
    }
    const pods = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?(\/log)?$/.exec(url.pathname);
    if (!pods || !podsByNamespace.has(pods[1]!)) return false;
    const [, namespace, name, log] = pods as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    const inNamespace = podsByNamespace.get(namespace) ?? [];
    if (name === undefined) {
      const selector = (url.searchParams.get('labelSelector') ?? '').split(',').filter(Boolean);
      const items = inNamespace.filter((p) => {
        const labels = (p as { metadata?: { labels?: Record<string, string> } }).metadata?.labels ?? {};
        return selector.every((term) => {
          const [key, value] = term.split('=') as [string, string];
          return labels[key] === value;
        });
      });
      send(res, 200, list('PodList', items));
      return true;
    }
    const pod = inNamespace.find((p) => nameOf(p) === name);
    if (!pod || !log) {
      if (pod) send(res, 200, pod);
      else notFound(res, `pods "${name}"`);
      return true;
    }
    const previous = url.searchParams.get('previous') === 'true';
    const container = url.searchParams.get('container') ?? '';
    const text = podLogs.get(`${namespace}/${name}/${container}/${previous}`);
    if (text === undefined) {
      // The API server's answers for a container that never terminated / never started.
      send(res, 400, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'BadRequest',
        code: 400,
        message: previous
          ? `previous terminated container "${container}" in pod "${name}" not found`
          : `container "${container}" in pod "${name}" is waiting to start: trying and failing to pull image`,
      });
      return true;
    }
    const tail = Number(url.searchParams.get('tailLines') ?? 'NaN');
    const lines = text.replace(/\n$/, '').split('\n');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`${(Number.isInteger(tail) ? lines.slice(-tail) : lines).join('\n')}\n`);
    return true;
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => handle(req, res, body));
  });
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

  const api: FakeKubeApi = {
    kubeconfigPath,
    cacheDir: join(dir, 'kube-cache'),
    requests,
    applied,
    jsonPatches,
    scales,
    portForwards,
    setPods(namespace, pods) {
      podsByNamespace.set(namespace, pods);
    },
    setEvents(namespace, events) {
      eventsByNamespace.set(namespace, events);
    },
    setNodes(list) {
      nodes = list;
    },
    setLog(namespace, pod, container, text, previous = false) {
      podLogs.set(`${namespace}/${pod}/${container}/${previous}`, text);
    },
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
  return api;
}
