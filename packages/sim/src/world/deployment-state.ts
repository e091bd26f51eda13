import type { KubeObject } from '@kubernaut-e2e/core';
import { readyDurationMs, type TimingProfile } from '../profile/timing-profile.js';
import { imageProblem } from './image-problem.js';
import {
  type ContainerShape,
  canonicalJson,
  type DeploymentShape,
  type PodSpecShape,
  podTemplateHash,
} from './kube-objects.js';
import {
  containerConfigProblem,
  mountProblems,
  probeProblem,
  serviceAccountProblem,
} from './pod-references.js';
import { blockReason, type PodBlock, type SimCluster, type SimDeployment } from './sim-cluster.js';

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
      const ref = entry.valueFrom?.secretKeyRef;
      if (ref) {
        const value = decodeSecretValue(cluster.objects.get(`secret/${namespace}/${ref.name}`), ref.key);
        if (value !== undefined) env[entry.name] = value;
      }
    }
  }
  return env;
}

/**
 * What stops the pods of this template right now, in the order Kubernetes meets it: admission of the
 * pod (its ServiceAccount), the kubelet's volume set-up, then per container (init containers first) its
 * image and its environment, then the probes of the running containers. `undefined` when they run.
 */
export function podBlock(
  cluster: SimCluster,
  namespace: string,
  deploymentName: string,
  specKey: string,
  spec: PodSpecShape,
): PodBlock | undefined {
  const replicaSet = `${deploymentName}-${podTemplateHash(specKey)}`;
  const create = serviceAccountProblem(cluster, namespace, replicaSet, spec);
  if (create) return { stage: 'create', message: create };
  const failures = mountProblems(cluster, namespace, spec);
  if (failures.length > 0) return { stage: 'mount', failures };
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const container = c.name ?? deploymentName;
    const image = imageProblem(cluster, c);
    if (image) return { stage: 'image', container, message: image };
    const config = containerConfigProblem(cluster, namespace, c);
    if (config) return { stage: 'config', container, message: config };
  }
  for (const c of spec.containers) {
    const probe = probeProblem(c);
    if (probe) return { stage: 'probe', container: c.name ?? deploymentName, ...probe };
  }
  return undefined;
}

/**
 * The Deployment's state after an apply (or patch) at `now`. An unchanged spec keeps the current
 * rollout (a ready Deployment stays ready, as Kubernetes starts no new rollout; a blocked one keeps its
 * pods and is checked again); a changed spec starts one that completes after the profile's ready time,
 * unless something stops its pods (`podBlock`). A Deployment scaled to 0 has no pods to stop.
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
  const unchanged = previous !== undefined && previous.specKey === specKey;
  if (unchanged && previous.readyAt !== undefined) return previous;
  const podSpec = shape.spec.template.spec;
  const containers = [...(podSpec.initContainers ?? []), ...podSpec.containers];
  const replicas = shape.spec.replicas ?? 1;
  const block = replicas === 0 ? undefined : podBlock(cluster, namespace, name, specKey, podSpec);
  const alreadyRunning = previous === undefined && cluster.leftByEarlierRun;
  // The pods of a blocked rollout stay the same pods while the spec is unchanged (none exist while
  // their creation is refused).
  const podsSince =
    unchanged && previous.block !== undefined && previous.block.stage !== 'create' ? previous.appliedAt : now;
  return {
    namespace,
    name,
    images: containers.map((c) => c.image),
    podLabels: shape.spec.template.metadata?.labels ?? {},
    containerPorts: podSpec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)),
    env: resolveEnv(cluster, namespace, containers),
    specKey,
    appliedAt: podsSince,
    readyAt:
      block !== undefined
        ? undefined
        : replicas === 0 || alreadyRunning
          ? now
          : now + readyDurationMs(profile, name),
    blockedReason: block === undefined ? undefined : blockReason(block),
    ...(block === undefined ? {} : { block }),
  };
}

/**
 * A blocked Deployment checked again after an object it may reference was applied: `undefined` when
 * nothing changed; a new block when another problem now stops it; else its rollout completing the
 * profile's ready time from `now` — with the same pods, except that pods the API server refused are
 * created now — and the env values it can now read.
 */
export function recheckBlocked(
  cluster: SimCluster,
  blocked: SimDeployment,
  shape: DeploymentShape,
  profile: TimingProfile,
  now: number,
): SimDeployment | undefined {
  if (blocked.readyAt !== undefined || blocked.block === undefined) return undefined;
  const podSpec = shape.spec.template.spec;
  const block = podBlock(cluster, blocked.namespace, blocked.name, blocked.specKey, podSpec);
  if (canonicalJson(block) === canonicalJson(blocked.block)) return undefined;
  const { block: _previous, ...rest } = blocked;
  if (block !== undefined) return { ...rest, block, blockedReason: blockReason(block) };
  return {
    ...rest,
    env: resolveEnv(cluster, blocked.namespace, [...(podSpec.initContainers ?? []), ...podSpec.containers]),
    appliedAt: blocked.block.stage === 'create' ? now : blocked.appliedAt,
    readyAt: now + readyDurationMs(profile, blocked.name),
    blockedReason: undefined,
  };
}
