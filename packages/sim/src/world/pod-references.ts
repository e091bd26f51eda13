import type { KubeObject } from '@kubernaut-e2e/core';
import {
  type ContainerShape,
  objectKey,
  type PodSpecShape,
  type ProbeShape,
  type VolumeShape,
} from './kube-objects.js';
import type { SimCluster } from './sim-cluster.js';

/*
 * What the API server and the kubelet check about the objects a pod references, with their messages
 * word for word. Sources (kubernetes/kubernetes, read through the project's code search):
 * - ServiceAccount: plugin/pkg/admission/serviceaccount/admission.go `Admit` —
 *   `admission.NewForbidden(a, fmt.Errorf("error looking up service account %s/%s: %w", …))`; the name in
 *   the Forbidden error is the pod's generateName (staging/src/k8s.io/apiserver/pkg/admission/errors.go
 *   `extractResourceName`); the replicaset-controller records it as `FailedCreate` "Error creating: %v"
 *   (pkg/controller/controller_utils.go `RealPodControl.createPods`).
 * - Volumes: pkg/volume/configmap/configmap.go `SetUpAt` returns the informer's NotFound
 *   (`configmap "<name>" not found`) unless `optional`, and `MakePayload`
 *   `configmap references non-existent config key: %s`; pkg/volume/secret/secret.go the same with
 *   `secret "<name>" not found` and `references non-existent secret key: %s`; pkg/volume/projected/
 *   projected.go `collectData` gathers every source's error into `utilerrors.NewAggregate` (one error as
 *   itself, several as `[a, b]`, k8s.io/apimachinery/pkg/util/errors). The event is `FailedMount`
 *   `MountVolume.SetUp failed for volume "<volume>" : <error>`
 *   (pkg/volume/util/operationexecutor/operation_executor.go `generateVolumeMsg`, `errSuffix`).
 * - Env: pkg/kubelet/kubelet_pods.go `makeEnvironmentVariables` — NotFound of the object
 *   (`secret "<name>" not found`, `configmap "<name>" not found`) unless `optional`, and
 *   `couldn't find key %v in Secret %v/%v` / `couldn't find key %v in ConfigMap %v/%v`;
 *   pkg/kubelet/kuberuntime/kuberuntime_container.go `startContainer` turns it into the waiting reason
 *   `CreateContainerConfigError` with that message and the event `Failed` "Error: <message>".
 * - Probes: pkg/probe/util.go `ResolveContainerPort` looks a named port up in the container's own
 *   `ports` and, failing that, tries `strconv.Atoi`, whose error is returned
 *   (`strconv.Atoi: parsing "<name>": invalid syntax`); pkg/kubelet/prober/prober.go `probe` records
 *   `Unhealthy` "%s probe errored and resulted in %s state: %s" (result `unknown`), and the worker
 *   throws an errored result away (pkg/kubelet/prober/worker.go), so readiness keeps its initial
 *   `Failure` and a startup probe never succeeds: the container runs and never becomes ready.
 */

/** The object stored as `kind/namespace/name`, if it was applied. */
function stored(cluster: SimCluster, kind: string, namespace: string, name: string): KubeObject | undefined {
  return cluster.objects.get(objectKey(kind, namespace, name));
}

/** Keys a ConfigMap (`data`, `binaryData`) or a Secret (`data`, and `stringData` the API server merges in) holds. */
function keysOf(object: KubeObject): Set<string> {
  const keys = new Set<string>();
  for (const field of ['data', 'binaryData', 'stringData'])
    for (const key of Object.keys((object[field] as Record<string, unknown> | undefined) ?? {}))
      keys.add(key);
  return keys;
}

/**
 * The API server's refusal of the ReplicaSet's pods when their ServiceAccount does not exist (`default`
 * exists in every namespace: the serviceaccount controller makes it), or `undefined`.
 */
export function serviceAccountProblem(
  cluster: SimCluster,
  namespace: string,
  replicaSet: string,
  spec: PodSpecShape,
): string | undefined {
  const name = spec.serviceAccountName || spec.serviceAccount || 'default';
  if (name === 'default' || stored(cluster, 'serviceaccount', namespace, name)) return undefined;
  return `pods "${replicaSet}-" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`;
}

interface KeySource {
  readonly kind: 'configmap' | 'secret';
  readonly name: string;
  readonly optional?: boolean | undefined;
  readonly items?: readonly { readonly key: string }[] | undefined;
}

/** Why the kubelet cannot project one ConfigMap or Secret source, as `SetUpAt`/`MakePayload` say it. */
function sourceProblem(cluster: SimCluster, namespace: string, source: KeySource): string | undefined {
  const object = stored(cluster, source.kind, namespace, source.name);
  if (!object) return source.optional ? undefined : `${source.kind} "${source.name}" not found`;
  if (source.optional) return undefined; // an optional source projects the keys it has
  const keys = keysOf(object);
  const missing = (source.items ?? []).find((item) => !keys.has(item.key));
  if (!missing) return undefined;
  return source.kind === 'configmap'
    ? `configmap references non-existent config key: ${missing.key}`
    : `references non-existent secret key: ${missing.key}`;
}

/** The error `SetUpAt` returns for one pod volume, or `undefined` when it mounts (or is of another kind). */
function volumeProblem(cluster: SimCluster, namespace: string, volume: VolumeShape): string | undefined {
  if (volume.configMap) return sourceProblem(cluster, namespace, { kind: 'configmap', ...volume.configMap });
  if (volume.secret) {
    const { secretName, ...rest } = volume.secret;
    return sourceProblem(cluster, namespace, { kind: 'secret', name: secretName, ...rest });
  }
  if (volume.projected) {
    const errors = (volume.projected.sources ?? []).flatMap((s) => {
      const source: KeySource | undefined = s.configMap
        ? { kind: 'configmap', ...s.configMap }
        : s.secret
          ? { kind: 'secret', ...s.secret }
          : undefined;
      const problem = source && sourceProblem(cluster, namespace, source);
      return problem ? [problem] : [];
    });
    const distinct = [...new Set(errors)];
    if (distinct.length === 0) return undefined;
    return distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`;
  }
  return undefined;
}

/**
 * Every volume the kubelet cannot set up, with the error of its `FailedMount` event. A volume no
 * container mounts is skipped, as the kubelet's volume manager skips it
 * (pkg/kubelet/volumemanager/populator/desired_state_of_world_populator.go `processPodVolumes`).
 */
export function mountProblems(
  cluster: SimCluster,
  namespace: string,
  spec: PodSpecShape,
): { volume: string; message: string }[] {
  const mounted = new Set(
    [...(spec.initContainers ?? []), ...spec.containers].flatMap((c) =>
      (c.volumeMounts ?? []).map((m) => m.name),
    ),
  );
  return (spec.volumes ?? []).flatMap((volume) => {
    if (!mounted.has(volume.name)) return [];
    const message = volumeProblem(cluster, namespace, volume);
    return message === undefined ? [] : [{ volume: volume.name, message }];
  });
}

/** Why the kubelet cannot make this container's environment (`CreateContainerConfigError`), or `undefined`. */
export function containerConfigProblem(
  cluster: SimCluster,
  namespace: string,
  container: ContainerShape,
): string | undefined {
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'configmap' : 'secret';
    if (ref && !ref.optional && !stored(cluster, kind, namespace, ref.name))
      return `${kind} "${ref.name}" not found`;
  }
  for (const entry of container.env ?? []) {
    if (entry.value) continue; // a literal value wins over valueFrom
    const ref = entry.valueFrom?.secretKeyRef ?? entry.valueFrom?.configMapKeyRef;
    if (!ref || ref.optional) continue;
    const secret = entry.valueFrom?.secretKeyRef !== undefined;
    const object = stored(cluster, secret ? 'secret' : 'configmap', namespace, ref.name);
    if (!object) return `${secret ? 'secret' : 'configmap'} "${ref.name}" not found`;
    if (!keysOf(object).has(ref.key))
      return `couldn't find key ${ref.key} in ${secret ? 'Secret' : 'ConfigMap'} ${namespace}/${ref.name}`;
  }
  return undefined;
}

/** `ResolveContainerPort`'s error for a probe port, or `undefined` when it resolves. */
function probePortProblem(probe: ProbeShape | undefined, container: ContainerShape): string | undefined {
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
  if (typeof port !== 'string') return undefined;
  if ((container.ports ?? []).some((p) => p.name === port)) return undefined;
  if (/^[+-]?\d+$/.test(port)) {
    const number = Number(port);
    return number > 0 && number < 65536 ? undefined : `invalid port number: ${number}`;
  }
  return `strconv.Atoi: parsing "${port}": invalid syntax`;
}

/**
 * The first probe the kubelet cannot run on this (regular) container: the startup probe (the readiness
 * probe only runs once it succeeded), then the readiness probe.
 */
export function probeProblem(
  container: ContainerShape,
): { probe: 'Startup' | 'Readiness'; message: string } | undefined {
  const startup = probePortProblem(container.startupProbe, container);
  if (startup) return { probe: 'Startup', message: startup };
  const readiness = probePortProblem(container.readinessProbe, container);
  return readiness ? { probe: 'Readiness', message: readiness } : undefined;
}
