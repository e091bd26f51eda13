import { createHash } from 'node:crypto';
import type { KubeObject } from '@kubernaut-e2e/core';
import { type ContainerShape, deploymentSchema, podTemplateHash } from './kube-objects.js';
import type { SimCluster, SimDeployment } from './sim-cluster.js';

/**
 * What `kubectl get pods|events|nodes -o json`, `describe` and `logs` show for the simulated cluster,
 * derived from each Deployment's state: the statuses and messages the kubelet, the scheduler and the
 * controllers really use (`ErrImageNeverPull`, `ImagePullBackOff`, `CrashLoopBackOff`, `FailedMount`,
 * `CreateContainerConfigError`, a failing or erroring probe, a ReplicaSet's `FailedCreate`), so
 * diagnostics read the simulator exactly as they read a kind cluster.
 */

/** How often a blocked pod's events repeat (the kubelet's retries; only their counts depend on it). */
const CRASH_BACKOFF_MS = 10_000;
/** How long a container that fails at start-up runs before it exits. */
const CRASH_RUN_MS = 1_000;
/** The kubelet's back-off cap between restarts (`MaxContainerBackOff`, 5 min). */
const MAX_BACKOFF_MS = 300_000;

/** The kubelet's back-off after the crash of instance `k` (0-based): 10 s, 20 s, 40 s… up to 5 min. */
function backoffMs(k: number): number {
  return Math.min(MAX_BACKOFF_MS, CRASH_BACKOFF_MS * 2 ** Math.min(k, 5));
}

/** Where a container that crashes at start-up is, `elapsedMs` after its first start. */
export interface CrashMoment {
  /** Restarts so far (the running or last instance is number `restartCount`, 0-based). */
  readonly restartCount: number;
  /** True while that instance still runs; false while the kubelet backs off before the next one. */
  readonly running: boolean;
  /** When that instance started and (when it has) exited, in ms after the first start. */
  readonly startedAt: number;
  readonly finishedAt: number;
  /** The back-off before the next start, once it has exited. */
  readonly backoffMs: number;
}

/**
 * The kubelet's crash loop, as it runs one: each instance runs `CRASH_RUN_MS`, then the kubelet waits 10 s, 20 s,
 * 40 s… (doubling, capped at 5 min) before the next start, counting restarts as it starts them. So the second
 * restart comes 32 s after the first start and has exited at 33 s.
 */
export function crashMoment(elapsedMs: number): CrashMoment {
  let k = 0;
  let start = 0;
  for (;;) {
    const next = start + CRASH_RUN_MS + backoffMs(k);
    if (next > elapsedMs) break;
    start = next;
    k++;
  }
  return {
    restartCount: k,
    running: elapsedMs < start + CRASH_RUN_MS,
    startedAt: start,
    finishedAt: start + CRASH_RUN_MS,
    backoffMs: backoffMs(k),
  };
}

type Json = Record<string, unknown>;

const hex = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/** Virtual ms → an RFC 3339 time on an arbitrary fixed day (the simulator has no wall clock). */
export function simTime(ms: number): string {
  return new Date(Date.UTC(2025, 0, 1) + Math.max(0, Math.round(ms))).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function nodeName(cluster: SimCluster): string {
  return `${cluster.name}-control-plane`;
}

interface PodState {
  readonly phase: 'Pending' | 'Running';
  readonly ready: boolean;
  /** The problem container passed its startup probe (false while a startup probe cannot run). */
  readonly started?: boolean;
  /** The container the problem is about, and its state. */
  readonly container: string;
  readonly state: Json;
  readonly lastState: Json;
  readonly restartCount: number;
  readonly events: readonly { type: string; reason: string; message: string; count: number }[];
  readonly logs: { readonly current?: string; readonly previous?: string };
}

function containersOf(object: KubeObject): ContainerShape[] {
  const spec = deploymentSchema.safeParse(object).data?.spec.template.spec;
  return spec ? [...(spec.initContainers ?? []), ...spec.containers] : [];
}

function stateOf(
  deployment: SimDeployment,
  containers: readonly ContainerShape[],
  podName: string,
  namespace: string,
  uid: string,
  now: number,
): PodState {
  const first = containers[0];
  const name = first?.name ?? deployment.name;
  const started = { type: 'Normal', count: 1 };
  const running = [
    { ...started, reason: 'Pulled', message: `Container image "${first?.image}" already present on machine` },
    { ...started, reason: 'Created', message: `Created container: ${name}` },
    { ...started, reason: 'Started', message: `Started container ${name}` },
  ];
  const since = Math.max(1, Math.floor((now - deployment.appliedAt) / CRASH_BACKOFF_MS));
  if (deployment.readyAt === undefined && deployment.fault?.kind === 'crash') {
    const log = deployment.fault.message ?? `panic: ${name} exited at start-up (simulated container fault)`;
    const first = deployment.appliedAt;
    const moment = crashMoment(Math.max(0, now - first));
    const previous = moment.restartCount === 0 ? undefined : crashMoment(moment.startedAt - 1); // the instance before
    const exited = (m: CrashMoment) => ({
      terminated: {
        exitCode: 2,
        reason: 'Error',
        startedAt: simTime(first + m.startedAt),
        finishedAt: simTime(first + m.finishedAt),
      },
    });
    const starts = moment.restartCount + 1;
    const backOffs = moment.running ? moment.restartCount : starts;
    return {
      phase: 'Running',
      ready: false,
      container: name,
      state: moment.running
        ? { running: { startedAt: simTime(first + moment.startedAt) } }
        : {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off ${moment.backoffMs / 1000}s restarting failed container=${name} pod=${podName}_${namespace}(${uid})`,
            },
          },
      lastState: moment.running ? (previous ? exited(previous) : {}) : exited(moment),
      restartCount: moment.restartCount,
      events: [
        ...running.map((e) => ({ ...e, count: starts })),
        ...(backOffs > 0
          ? [
              {
                type: 'Warning',
                reason: 'BackOff',
                message: `Back-off restarting failed container ${name} in pod ${podName}_${namespace}(${uid})`,
                count: backOffs,
              },
            ]
          : []),
      ],
      // Each instance prints its fatal line at once; there is a previous one from the first crash on.
      logs: { current: log, ...(moment.running && !previous ? {} : { previous: log }) },
    };
  }
  if (deployment.readyAt === undefined && deployment.fault?.kind === 'unready') {
    return {
      phase: 'Running',
      ready: false,
      container: name,
      state: { running: { startedAt: simTime(deployment.appliedAt) } },
      lastState: {},
      restartCount: 0,
      events: [
        ...running,
        {
          type: 'Warning',
          reason: 'Unhealthy',
          message: `Readiness probe failed: ${deployment.fault.message ?? 'HTTP probe failed with statuscode: 503'}`,
          count: since,
        },
      ],
      logs: { current: `${name} started; waiting for its dependencies` },
    };
  }
  const block = deployment.readyAt === undefined ? deployment.block : undefined;
  if (block?.stage === 'probe') {
    return {
      phase: 'Running',
      ready: false,
      started: block.probe !== 'Startup',
      container: block.container,
      state: { running: { startedAt: simTime(deployment.appliedAt) } },
      lastState: {},
      restartCount: 0,
      events: [
        ...running,
        {
          type: 'Warning',
          reason: 'Unhealthy',
          message: `${block.probe} probe errored and resulted in unknown state: ${block.message}`,
          count: since,
        },
      ],
      logs: { current: `${block.container} started` },
    };
  }
  if (block?.stage === 'mount') {
    return {
      phase: 'Pending',
      ready: false,
      container: name,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      restartCount: 0,
      events: block.failures.map((f) => ({
        type: 'Warning',
        reason: 'FailedMount',
        message: `MountVolume.SetUp failed for volume "${f.volume}" : ${f.message}`,
        count: since,
      })),
      logs: {},
    };
  }
  if (block?.stage === 'config') {
    const image = containers.find((c) => (c.name ?? deployment.name) === block.container)?.image;
    return {
      phase: 'Pending',
      ready: false,
      container: block.container,
      state: { waiting: { reason: 'CreateContainerConfigError', message: block.message } },
      lastState: {},
      restartCount: 0,
      events: [
        {
          type: 'Normal',
          reason: 'Pulled',
          message: `Container image "${image}" already present on machine`,
          count: since,
        },
        { type: 'Warning', reason: 'Failed', message: `Error: ${block.message}`, count: since },
      ],
      logs: {},
    };
  }
  if (deployment.readyAt === undefined) {
    const blocked =
      (block?.stage === 'image'
        ? containers.find((c) => (c.name ?? deployment.name) === block.container)
        : undefined) ?? first;
    const image = blocked?.image ?? '';
    const never = blocked?.imagePullPolicy === 'Never';
    const cname = blocked?.name ?? name;
    const reason = never ? 'ErrImageNeverPull' : 'ImagePullBackOff';
    const message = never
      ? `Container image "${image}" is not present with pull policy of Never`
      : `Back-off pulling image "${image}"`;
    return {
      phase: 'Pending',
      ready: false,
      container: cname,
      state: { waiting: { reason, message } },
      lastState: {},
      restartCount: 0,
      events: never
        ? [
            { type: 'Warning', reason: 'ErrImageNeverPull', message, count: since },
            { type: 'Warning', reason: 'Failed', message: 'Error: ErrImageNeverPull', count: since },
          ]
        : [
            {
              type: 'Warning',
              reason: 'Failed',
              message: `Failed to pull image "${image}": ${deployment.blockedReason ?? 'not found'}`,
              count: since,
            },
            { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull', count: since },
            { type: 'Normal', reason: 'BackOff', message, count: since },
            { type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff', count: since },
          ],
      logs: {},
    };
  }
  if (deployment.readyAt > now) {
    return {
      phase: 'Pending',
      ready: false,
      container: name,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      restartCount: 0,
      events: [],
      logs: {},
    };
  }
  return {
    phase: 'Running',
    ready: true,
    container: name,
    state: { running: { startedAt: simTime(deployment.readyAt) } },
    lastState: {},
    restartCount: 0,
    events: running,
    logs: { current: `${name} started` },
  };
}

/** A simulated pod: the Pod JSON kubectl would print, its events, and its logs. */
export interface SimPod {
  readonly pod: Json;
  readonly events: readonly Json[];
  readonly logs: Readonly<Record<string, { readonly current?: string; readonly previous?: string }>>;
}

/** The pods of a Deployment right now: `replicas` of them, or the terminating ones after a scale to 0. */
export function podsOf(
  cluster: SimCluster,
  deployment: SimDeployment,
  object: KubeObject,
  now: number,
): SimPod[] {
  const shape = deploymentSchema.safeParse(object).data;
  if (!shape) return [];
  const replicas = shape.spec.replicas ?? 1;
  const terminating = replicas === 0 && (deployment.terminatingUntil ?? 0) > now;
  // While the API server refuses its pods, a ReplicaSet has none (`replicaSetEvents` says why).
  const refused = deployment.readyAt === undefined && deployment.block?.stage === 'create';
  const count = terminating ? (deployment.previousReplicas ?? 1) : refused ? 0 : replicas;
  const containers = containersOf(object);
  const template = podTemplateHash(deployment.specKey);
  const node = nodeName(cluster);
  const pods: SimPod[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${deployment.name}-${template}-${hex(`${deployment.name}/${deployment.appliedAt}/${i}`, 5)}`;
    const uid = [8, 4, 4, 4, 12].map((n, k) => hex(`${name}/${k}`, n)).join('-');
    const state = terminating
      ? {
          ...stateOf(
            { ...deployment, readyAt: deployment.appliedAt },
            containers,
            name,
            deployment.namespace,
            uid,
            now,
          ),
        }
      : stateOf(deployment, containers, name, deployment.namespace, uid, now);
    const podIP = `10.244.0.${(Number.parseInt(hex(name, 2), 16) % 250) + 2}`;
    const statuses = containers.map((c) => {
      const cname = c.name ?? deployment.name;
      const mine = cname === state.container;
      return {
        name: cname,
        image: c.image,
        imageID: '',
        ready: mine ? state.ready : state.phase === 'Running',
        restartCount: mine ? state.restartCount : 0,
        started: mine ? (state.started ?? 'running' in state.state) : state.phase === 'Running',
        state: mine
          ? state.state
          : state.phase === 'Running'
            ? { running: { startedAt: simTime(deployment.appliedAt) } }
            : { waiting: { reason: 'PodInitializing' } },
        lastState: mine ? state.lastState : {},
      };
    });
    const pod: Json = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: deployment.namespace,
        uid,
        labels: { ...deployment.podLabels, 'pod-template-hash': template },
        creationTimestamp: simTime(deployment.appliedAt),
        ...(terminating
          ? { deletionTimestamp: simTime(deployment.terminatingUntil ?? now), deletionGracePeriodSeconds: 30 }
          : {}),
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: `${deployment.name}-${template}`,
            controller: true,
          },
        ],
      },
      spec: { ...(shape.spec.template.spec as Json), nodeName: node },
      status: {
        phase: state.phase,
        hostIP: '10.89.0.2',
        podIP,
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          {
            type: 'Ready',
            status: state.ready ? 'True' : 'False',
            ...(state.ready
              ? {}
              : {
                  reason: 'ContainersNotReady',
                  message: `containers with unready status: [${state.container}]`,
                }),
          },
        ],
        containerStatuses: statuses,
        startTime: simTime(deployment.appliedAt),
      },
    };
    const events = [
      {
        type: 'Normal',
        reason: 'Scheduled',
        message: `Successfully assigned ${deployment.namespace}/${name} to ${node}`,
        count: 1,
        component: 'default-scheduler',
      },
      ...state.events.map((e) => ({ ...e, component: 'kubelet' })),
    ].map((e, k) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${hex(`${name}/${k}`, 16)}`, namespace: deployment.namespace },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name, namespace: deployment.namespace, uid },
      reason: e.reason,
      message: e.message,
      type: e.type,
      count: e.count,
      source: { component: e.component, ...(e.component === 'kubelet' ? { host: node } : {}) },
      firstTimestamp: simTime(deployment.appliedAt),
      lastTimestamp: simTime(Math.max(deployment.appliedAt, now)),
    }));
    pods.push({ pod, events, logs: { [state.container]: state.logs } });
  }
  return pods;
}

/** The events of a Deployment's ReplicaSet: `FailedCreate` while the API server refuses its pods. */
export function replicaSetEvents(deployment: SimDeployment, now: number): Json[] {
  const block = deployment.block;
  if (deployment.readyAt !== undefined || block?.stage !== 'create') return [];
  const name = `${deployment.name}-${podTemplateHash(deployment.specKey)}`;
  const uid = [8, 4, 4, 4, 12].map((n, k) => hex(`replicaset/${name}/${k}`, n)).join('-');
  return [
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${hex(`${name}/FailedCreate`, 16)}`, namespace: deployment.namespace },
      involvedObject: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name,
        namespace: deployment.namespace,
        uid,
      },
      reason: 'FailedCreate',
      message: `Error creating: ${block.message}`,
      type: 'Warning',
      count: Math.max(1, Math.floor((now - deployment.appliedAt) / CRASH_BACKOFF_MS)),
      source: { component: 'replicaset-controller' },
      firstTimestamp: simTime(deployment.appliedAt),
      lastTimestamp: simTime(Math.max(deployment.appliedAt, now)),
    },
  ];
}

/** The cluster's one node, with the images loaded onto it, as `kubectl get nodes -o json` shows it. */
export function nodeObject(cluster: SimCluster): Json {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName(cluster),
      labels: { 'kubernetes.io/hostname': nodeName(cluster), 'node-role.kubernetes.io/control-plane': '' },
    },
    status: {
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
        },
        {
          type: 'DiskPressure',
          status: 'False',
          reason: 'KubeletHasNoDiskPressure',
          message: 'kubelet has no disk pressure',
        },
        {
          type: 'PIDPressure',
          status: 'False',
          reason: 'KubeletHasSufficientPID',
          message: 'kubelet has sufficient PID available',
        },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      images: [...cluster.nodeImages].sort().map((ref) => ({ names: [ref] })),
    },
  };
}

/** A short `kubectl describe pod`-style text (the simulator's rendering, labelled as such). */
export function describePod(sim: SimPod): string {
  const pod = sim.pod as { metadata: Json; spec: { nodeName?: string; containers?: Json[] }; status: Json };
  const statuses = (pod.status.containerStatuses as Json[]) ?? [];
  const lines = [
    `Name:             ${pod.metadata.name}`,
    `Namespace:        ${pod.metadata.namespace}`,
    `Node:             ${pod.spec.nodeName}`,
    `Status:           ${pod.status.phase}`,
    `IP:               ${pod.status.podIP}`,
    'Containers:',
  ];
  for (const s of statuses) {
    const state = s.state as Json;
    const [kind, detail] = Object.entries(state)[0] ?? ['unknown', {}];
    lines.push(
      `  ${s.name}:`,
      `    Image:          ${s.image}`,
      `    State:          ${kind[0]!.toUpperCase()}${kind.slice(1)}`,
      ...((detail as Json).reason ? [`      Reason:       ${(detail as Json).reason}`] : []),
      `    Ready:          ${s.ready ? 'True' : 'False'}`,
      `    Restart Count:  ${s.restartCount}`,
    );
  }
  lines.push('Events:', '  Type     Reason     From     Message');
  for (const e of sim.events as Json[])
    lines.push(
      `  ${String(e.type).padEnd(8)} ${String(e.reason).padEnd(10)} ${String((e.source as Json).component).padEnd(8)} ${e.message}`,
    );
  lines.push('(simulated: rendered by @kubernaut-e2e/sim, not kubectl)');
  return `${lines.join('\n')}\n`;
}
