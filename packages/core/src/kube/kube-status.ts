/**
 * Readers of kubectl's JSON (`kubectl get pods|events|nodes -o json`) for diagnostics and the rollout wait: lenient
 * (a field the API left out is simply absent) and pure, so they run on recorded output as well as live.
 */

type Json = Record<string, unknown>;

const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** The `items` of a `List` (or a single object, as `kubectl get kind/name -o json` prints it). */
function itemsOf(json: unknown): Json[] {
  const root = obj(json);
  return 'items' in root ? arr(root.items).map(obj) : root.kind ? [root] : [];
}

export interface ContainerStatusInfo {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy?: string;
  /** An init container (they run, and can fail, before the main ones). */
  readonly init: boolean;
  readonly ready: boolean;
  readonly restartCount: number;
  readonly waiting?: { readonly reason: string; readonly message?: string };
  readonly running: boolean;
  /** How the current instance ended, when it has (`state.terminated`). */
  readonly terminated?: { readonly exitCode?: number; readonly reason?: string };
  /** How the previous instance ended (a crash loop's last exit). */
  readonly lastTerminated?: { readonly exitCode?: number; readonly reason?: string };
  /** The HTTP readiness probe as the kubelet calls it (`scheme://podIP:port/path`), when it has one. */
  readonly readinessUrl?: string;
  /** The ports the container declares (`ports[]`): what a probe's named port must be one of. */
  readonly ports: readonly { readonly name?: string; readonly containerPort: number }[];
  /** `false` while the container has not passed its startup probe (absent when the API left it out). */
  readonly started?: boolean;
}

/** A ConfigMap or Secret a pod volume projects, and the keys it asks for (`items`; none means all). */
export interface VolumeSourceInfo {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly keys: readonly string[];
  readonly optional: boolean;
}

/** A pod volume and the ConfigMaps and Secrets it is made from (directly or `projected`). */
export interface VolumeInfo {
  readonly name: string;
  readonly sources: readonly VolumeSourceInfo[];
}

export interface PodInfo {
  readonly name: string;
  readonly namespace: string;
  readonly phase: string;
  /** `spec.restartPolicy`: `Always` (a Deployment's pods), `OnFailure` or `Never`. */
  readonly restartPolicy: string;
  /** True once the pod is being deleted (`metadata.deletionTimestamp`): an old pod of a rollout on its way out. */
  readonly terminating: boolean;
  readonly nodeName?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly conditions: readonly {
    readonly type: string;
    readonly status: string;
    readonly reason?: string;
    readonly message?: string;
  }[];
  readonly containers: readonly ContainerStatusInfo[];
  readonly volumes: readonly VolumeInfo[];
  /** The ReplicaSet that owns the pod (`metadata.ownerReferences`), when one does. */
  readonly replicaSet?: string;
}

export interface EventInfo {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly objectKind: string;
  readonly objectName: string;
  readonly count: number;
  /** The most recent occurrence (ISO time), for ordering. */
  readonly lastSeen: string;
}

export interface NodeInfo {
  readonly name: string;
  readonly conditions: readonly {
    readonly type: string;
    readonly status: string;
    readonly reason?: string;
    readonly message?: string;
  }[];
  /** Every name of every image the kubelet reports on the node (`status.images[].names`). */
  readonly images: readonly string[];
}

function conditionsOf(status: Json): PodInfo['conditions'] {
  return arr(status.conditions).map((c) => {
    const o = obj(c);
    const reason = str(o.reason);
    const message = str(o.message);
    return {
      type: str(o.type) ?? '',
      status: str(o.status) ?? '',
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    };
  });
}

function readinessUrl(spec: Json, podIP: string | undefined): string | undefined {
  const http = obj(obj(spec.readinessProbe).httpGet);
  if (!('port' in http)) return undefined;
  const scheme = (str(http.scheme) ?? 'HTTP').toLowerCase();
  const host = str(http.host) ?? podIP ?? '<pod IP>';
  const path = str(http.path) ?? '/';
  return `${scheme}://${host}:${String(http.port)}${path.startsWith('/') ? path : `/${path}`}`;
}

function sourceOf(kind: 'ConfigMap' | 'Secret', source: Json, nameField: string): VolumeSourceInfo {
  return {
    kind,
    name: str(source[nameField]) ?? '',
    keys: arr(source.items).flatMap((i) => str(obj(i).key) ?? []),
    optional: source.optional === true,
  };
}

function volumesOf(spec: Json): VolumeInfo[] {
  return arr(spec.volumes).map((v) => {
    const volume = obj(v);
    const sources: VolumeSourceInfo[] = [];
    if ('configMap' in volume) sources.push(sourceOf('ConfigMap', obj(volume.configMap), 'name'));
    if ('secret' in volume) sources.push(sourceOf('Secret', obj(volume.secret), 'secretName'));
    for (const p of arr(obj(volume.projected).sources)) {
      const projected = obj(p);
      if ('configMap' in projected) sources.push(sourceOf('ConfigMap', obj(projected.configMap), 'name'));
      if ('secret' in projected) sources.push(sourceOf('Secret', obj(projected.secret), 'name'));
    }
    return { name: str(volume.name) ?? '', sources };
  });
}

/** Pods of `kubectl get pods -o json`, containers joined with their statuses. */
export function parsePodList(json: unknown): PodInfo[] {
  return itemsOf(json).map((pod) => {
    const metadata = obj(pod.metadata);
    const spec = obj(pod.spec);
    const status = obj(pod.status);
    const podIP = str(status.podIP);
    const statuses = new Map<string, Json>();
    for (const s of [...arr(status.initContainerStatuses), ...arr(status.containerStatuses)]) {
      const o = obj(s);
      statuses.set(str(o.name) ?? '', o);
    }
    const containers = [
      ...arr(spec.initContainers).map((c) => ({ c: obj(c), init: true })),
      ...arr(spec.containers).map((c) => ({ c: obj(c), init: false })),
    ].map(({ c, init }): ContainerStatusInfo => {
      const name = str(c.name) ?? '';
      const s = statuses.get(name) ?? {};
      const state = obj(s.state);
      const waiting = obj(state.waiting);
      const last = obj(obj(s.lastState).terminated);
      const ended = 'terminated' in state ? obj(state.terminated) : undefined;
      const endedCode = ended && num(ended.exitCode);
      const endedReason = ended && str(ended.reason);
      const url = readinessUrl(c, podIP);
      const pullPolicy = str(c.imagePullPolicy);
      const waitingReason = str(waiting.reason);
      const waitingMessage = str(waiting.message);
      const exitCode = num(last.exitCode);
      const lastReason = str(last.reason);
      return {
        name,
        image: str(c.image) ?? str(s.image) ?? '',
        ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
        init,
        ready: s.ready === true,
        restartCount: num(s.restartCount) ?? 0,
        ...(waitingReason
          ? { waiting: { reason: waitingReason, ...(waitingMessage ? { message: waitingMessage } : {}) } }
          : {}),
        running: 'running' in state,
        ...(ended
          ? {
              terminated: {
                ...(endedCode === undefined ? {} : { exitCode: endedCode }),
                ...(endedReason ? { reason: endedReason } : {}),
              },
            }
          : {}),
        ...('exitCode' in last || lastReason
          ? {
              lastTerminated: {
                ...(exitCode === undefined ? {} : { exitCode }),
                ...(lastReason ? { reason: lastReason } : {}),
              },
            }
          : {}),
        ...(url ? { readinessUrl: url } : {}),
        ports: arr(c.ports).flatMap((p) => {
          const port = obj(p);
          const number = num(port.containerPort);
          const portName = str(port.name);
          return number === undefined
            ? []
            : [{ ...(portName ? { name: portName } : {}), containerPort: number }];
        }),
        ...(typeof s.started === 'boolean' ? { started: s.started } : {}),
      };
    });
    const nodeName = str(spec.nodeName);
    const labels = Object.fromEntries(
      Object.entries(obj(metadata.labels)).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const replicaSet = arr(metadata.ownerReferences)
      .map(obj)
      .find((o) => o.kind === 'ReplicaSet')?.name;
    return {
      name: str(metadata.name) ?? '',
      namespace: str(metadata.namespace) ?? '',
      phase: str(status.phase) ?? 'Unknown',
      restartPolicy: str(spec.restartPolicy) ?? 'Always',
      terminating: str(metadata.deletionTimestamp) !== undefined,
      ...(nodeName ? { nodeName } : {}),
      labels,
      conditions: conditionsOf(status),
      containers,
      volumes: volumesOf(spec),
      ...(typeof replicaSet === 'string' ? { replicaSet } : {}),
    };
  });
}

/** Events of `kubectl get events -o json`, oldest first. Handles core/v1 and events.k8s.io/v1 shapes. */
export function parseEventList(json: unknown): EventInfo[] {
  return itemsOf(json)
    .map((event): EventInfo => {
      const involved = obj(event.involvedObject ?? event.regarding);
      const series = obj(event.series);
      return {
        type: str(event.type) ?? 'Normal',
        reason: str(event.reason) ?? '',
        message: str(event.message ?? event.note) ?? '',
        objectKind: str(involved.kind) ?? '',
        objectName: str(involved.name) ?? '',
        count: num(event.count) ?? num(series.count) ?? 1,
        lastSeen:
          str(event.lastTimestamp) ??
          str(series.lastObservedTime) ??
          str(event.eventTime) ??
          str(event.firstTimestamp) ??
          '',
      };
    })
    .sort((a, b) => a.lastSeen.localeCompare(b.lastSeen));
}

/** Nodes of `kubectl get nodes -o json`: conditions and the images the kubelet reports. */
export function parseNodeList(json: unknown): NodeInfo[] {
  return itemsOf(json).map((node) => {
    const status = obj(node.status);
    return {
      name: str(obj(node.metadata).name) ?? '',
      conditions: conditionsOf(status),
      images: arr(status.images).flatMap((i) => arr(obj(i).names).filter((n) => typeof n === 'string')),
    };
  });
}
