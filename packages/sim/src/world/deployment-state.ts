import { type KubeObject, normalizeImageRef } from '@kubernaut-e2e/core';
import { readyDurationMs, type TimingProfile } from '../profile/timing-profile.js';
import { isLocalOnlyRef, isPinnedRef, splitImageRef } from './image-ref.js';
import { type ContainerShape, canonicalJson, type DeploymentShape } from './kube-objects.js';
import type { SimCluster, SimDeployment } from './sim-cluster.js';

/** Kubernetes' default pull policy: `Always` for `:latest` or untagged refs, else `IfNotPresent`. */
function pullPolicy(container: ContainerShape): 'Always' | 'IfNotPresent' | 'Never' {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const { tag, digest } = splitImageRef(container.image);
  return digest === undefined && (tag === undefined || tag === 'latest') ? 'Always' : 'IfNotPresent';
}

/**
 * Why the kubelet cannot start this container, or `undefined` when it can. Images on the nodes run;
 * pinned refs from a registry are pullable (pull time is not modelled); a `localhost/…` image that was
 * never loaded can never run.
 */
export function imageProblem(cluster: SimCluster, container: ContainerShape): string | undefined {
  const image = container.image;
  const policy = pullPolicy(container);
  const onNodes = cluster.nodeImages.has(normalizeImageRef(image));
  if (policy === 'Never') {
    return onNodes
      ? undefined
      : `ErrImageNeverPull: Container image "${image}" is not present with pull policy of Never`;
  }
  if (policy === 'IfNotPresent' && onNodes) return undefined;
  if (cluster.registry?.has(image) && isPinnedRef(image)) return undefined;
  if (isLocalOnlyRef(image)) {
    return onNodes
      ? `ErrImagePull: imagePullPolicy Always makes the kubelet pull "${image}", which exists only on this machine; use IfNotPresent or Never for loaded images`
      : `ErrImagePull (ErrImageNeverPull with imagePullPolicy: Never): image "${image}" was never loaded onto the nodes of cluster "${cluster.name}" and cannot be pulled from localhost`;
  }
  if (!isPinnedRef(image)) {
    return `ErrImagePull: the simulator pulls only pinned external images (a tag other than "latest", or a digest); pin "${image}"`;
  }
  return undefined;
}

function decodeSecretValue(secret: KubeObject | undefined, key: string): string | undefined {
  const stringData = secret?.stringData as Record<string, string> | undefined;
  if (stringData?.[key] !== undefined) return stringData[key];
  const data = secret?.data as Record<string, string> | undefined;
  return data?.[key] === undefined ? undefined : Buffer.from(data[key], 'base64').toString('utf8');
}

/** Literal env values, and values taken from a Secret that exists in the cluster. */
function resolveEnv(
  cluster: SimCluster,
  namespace: string,
  containers: readonly ContainerShape[],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const container of containers) {
    for (const entry of container.env ?? []) {
      if (entry.value !== undefined) env[entry.name] = entry.value;
      const ref = (entry.valueFrom as { secretKeyRef?: { name?: string; key?: string } } | undefined)
        ?.secretKeyRef;
      if (ref?.name && ref.key) {
        const value = decodeSecretValue(cluster.objects.get(`secret/${namespace}/${ref.name}`), ref.key);
        if (value !== undefined) env[entry.name] = value;
      }
    }
  }
  return env;
}

/**
 * The Deployment's state after an apply (or patch) at `now`. An unchanged spec keeps the current
 * rollout (a ready Deployment stays ready, as Kubernetes starts no new rollout); a changed spec starts
 * one that completes after the profile's ready time, unless an image cannot run.
 */
export function nextDeploymentState(
  cluster: SimCluster,
  namespace: string,
  name: string,
  shape: DeploymentShape,
  previous: SimDeployment | undefined,
  profile: TimingProfile,
  now: number,
): SimDeployment {
  const specKey = canonicalJson(shape.spec);
  if (previous && previous.specKey === specKey && previous.readyAt !== undefined) return previous;
  const podSpec = shape.spec.template.spec;
  const containers = [...(podSpec.initContainers ?? []), ...podSpec.containers];
  const problem = containers.map((c) => imageProblem(cluster, c)).find((p) => p !== undefined);
  const replicas = shape.spec.replicas ?? 1;
  const alreadyRunning = previous === undefined && cluster.leftByEarlierRun;
  return {
    namespace,
    name,
    images: containers.map((c) => c.image),
    podLabels: shape.spec.template.metadata?.labels ?? {},
    containerPorts: podSpec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)),
    env: resolveEnv(cluster, namespace, containers),
    specKey,
    appliedAt: now,
    readyAt:
      problem !== undefined
        ? undefined
        : replicas === 0 || alreadyRunning
          ? now
          : now + readyDurationMs(profile, name),
    blockedReason: problem,
  };
}
