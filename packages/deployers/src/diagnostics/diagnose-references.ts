import { containerConfigCause } from '@kubernaut-e2e/core/internal';
import type { Finding } from './findings.js';
import type { ContainerStatusInfo, EventInfo, PodInfo, VolumeInfo } from './kube-status.js';

/*
 * Findings about what a pod references that does not exist, read from the kubelet's and the
 * controllers' own messages (kubernetes/kubernetes: pkg/volume/{configmap,secret,projected},
 * pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, pkg/probe/util.go ResolveContainerPort,
 * plugin/pkg/admission/serviceaccount/admission.go): a ConfigMap or Secret a volume mounts (`FailedMount`),
 * one the environment reads (`CreateContainerConfigError`), a ServiceAccount the pods run as (the
 * ReplicaSet's `FailedCreate`), a probe's named port the container does not declare.
 */

const MOUNT_FAILED = /^MountVolume\.SetUp failed for volume "([^"]+)" : (.*)$/s;
const OBJECT_NOT_FOUND = /^(configmap|secret) "([^"]+)" not found$/;
const CONFIG_KEY_MISSING = /^configmap references non-existent config key: (.+)$/;
const SECRET_KEY_MISSING = /^references non-existent secret key: (.+)$/;
const SERVICE_ACCOUNT_MISSING =
  /error looking up service account ([^/\s]+)\/(\S+): serviceaccount "([^"]+)" not found/;
const PROBE_PORT_UNRESOLVED = /strconv\.Atoi: parsing "([^"]+)": invalid syntax/;
const PROBE_ERRORED = /^(Readiness|Startup) probe errored(?: and resulted in \w+ state)?: (.*)$/s;

const KIND = { configmap: 'ConfigMap', secret: 'Secret' } as const;

function eventsAbout(events: readonly EventInfo[], pod: string, reason: string): EventInfo[] {
  return events.filter((e) => e.objectName === pod && e.reason === reason);
}

/** `[a, b]` (a projected volume's aggregated errors) → `a`, `b`; one error as itself. */
function splitAggregate(detail: string): string[] {
  return detail.startsWith('[') && detail.endsWith(']') ? detail.slice(1, -1).split(', ') : [detail];
}

/** The ConfigMap or Secret of `volume` that asks for `key`, when the pod spec says which. */
function sourceWithKey(volume: VolumeInfo | undefined, kind: 'ConfigMap' | 'Secret', key: string) {
  return volume?.sources.find((s) => s.kind === kind && s.keys.includes(key));
}

function mountCause(pod: PodInfo, volumeName: string, error: string): string {
  const volume = pod.volumes.find((v) => v.name === volumeName);
  const blocked = `the pod cannot mount volume ${volumeName}, so it stays ContainerCreating`;
  const notFound = OBJECT_NOT_FOUND.exec(error);
  if (notFound) {
    const kind = KIND[notFound[1] as keyof typeof KIND];
    return `${kind} ${notFound[2]} not found: ${blocked}; apply the ${kind} in namespace ${pod.namespace} (the kubelet retries) or mark the volume optional`;
  }
  const key = CONFIG_KEY_MISSING.exec(error)?.[1];
  const secretKey = SECRET_KEY_MISSING.exec(error)?.[1];
  if (key !== undefined || secretKey !== undefined) {
    const kind = key !== undefined ? 'ConfigMap' : 'Secret';
    const missing = (key ?? secretKey)!;
    const source = sourceWithKey(volume, kind, missing);
    return `${source ? `${kind} ${source.name}` : `a ${kind} of volume ${volumeName}`} has no key ${missing}: ${blocked}; add the key to the ${kind} or change the volume's items`;
  }
  return `${blocked}: ${error}`;
}

/** `FailedMount` of a pod still waiting for its volumes: one finding per volume and cause, newest message first. */
export function mountFindings(pod: PodInfo, events: readonly EventInfo[]): Finding[] {
  if (pod.phase !== 'Pending' || pod.containers.some((c) => c.running)) return [];
  const latest = new Map<string, EventInfo>();
  for (const event of eventsAbout(events, pod.name, 'FailedMount')) {
    const volume = MOUNT_FAILED.exec(event.message)?.[1];
    if (volume !== undefined) latest.set(volume, event); // events come oldest first
  }
  return [...latest].flatMap(([volume, event]) =>
    splitAggregate(MOUNT_FAILED.exec(event.message)![2]!).map((error) => ({
      kind: 'volume-mount' as const,
      subject: `pod/${pod.name}`,
      summary: mountCause(pod, volume, error),
      details: [`kubelet: ${event.message}${event.count > 1 ? ` (×${event.count})` : ''}`],
    })),
  );
}

/** A container whose environment names a ConfigMap, Secret or key that does not exist. */
export function containerConfigFinding(pod: PodInfo, c: ContainerStatusInfo): Finding {
  const message = c.waiting?.message ?? '';
  return {
    kind: 'container-config',
    subject: `pod/${pod.name}`,
    summary: containerConfigCause(pod, c),
    details: message ? [`kubelet: ${message}`] : [],
  };
}

/**
 * A running container whose startup or readiness probe cannot even be run (the kubelet's "probe
 * errored"): for a named port the container does not declare, which port and what it declares.
 */
export function probeErrorFinding(
  pod: PodInfo,
  c: ContainerStatusInfo,
  events: readonly EventInfo[],
): Finding | undefined {
  const errored = eventsAbout(events, pod.name, 'Unhealthy')
    .map((e) => ({ event: e, match: PROBE_ERRORED.exec(e.message) }))
    .filter((e) => e.match !== null)
    .at(-1);
  if (!errored?.match) return undefined;
  const [, probe, error] = errored.match;
  const port = PROBE_PORT_UNRESOLVED.exec(error!)?.[1];
  const declared =
    c.ports.length === 0
      ? 'it declares no ports'
      : `it declares ${c.ports.map((p) => (p.name ? `${p.name} ${p.containerPort}` : `${p.containerPort}`)).join(', ')}`;
  const summary =
    port !== undefined
      ? `the ${probe!.toLowerCase()} probe of container ${c.name} names port "${port}", which the container does not declare (${declared}): the kubelet cannot run the probe, so the pod never becomes ready; use a declared port name or add the port`
      : `container ${c.name} runs but the kubelet cannot run its ${probe!.toLowerCase()} probe, so it never becomes ready: ${error}`;
  return {
    kind: 'readiness-probe',
    subject: `pod/${pod.name}`,
    summary,
    details: [
      `kubelet: ${errored.event.message}${errored.event.count > 1 ? ` (×${errored.event.count})` : ''}`,
    ],
  };
}

/**
 * ReplicaSets whose pods the API server refuses (`FailedCreate`), while none of their pods exists: a
 * missing ServiceAccount is named, any other refusal quoted.
 */
export function replicaSetFindings(pods: readonly PodInfo[], events: readonly EventInfo[]): Finding[] {
  const latest = new Map<string, EventInfo>();
  for (const event of events)
    if (event.objectKind === 'ReplicaSet' && event.reason === 'FailedCreate')
      latest.set(event.objectName, event);
  return [...latest]
    .filter(([replicaSet]) => !pods.some((p) => p.replicaSet === replicaSet))
    .map(([replicaSet, event]) => {
      const refusal = event.message.replace(/^Error creating:\s*/, '');
      const account = SERVICE_ACCOUNT_MISSING.exec(refusal);
      return {
        kind: 'pod-create-failed' as const,
        subject: `replicaset/${replicaSet}`,
        summary: account
          ? `ServiceAccount ${account[3]} not found: replicaset/${replicaSet} cannot create any pod (FailedCreate); apply the ServiceAccount in namespace ${account[1]} (or the manifest that makes it) and the rollout proceeds`
          : `replicaset/${replicaSet} cannot create its pods (FailedCreate): ${refusal}`,
        details: [`replicaset-controller: ${event.message}${event.count > 1 ? ` (×${event.count})` : ''}`],
      };
    });
}
