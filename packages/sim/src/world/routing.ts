import { labelsMatch, serviceSchema } from './kube-objects.js';
import { describeDeployment, isDeploymentReady, type SimCluster, type SimDeployment } from './sim-cluster.js';
import type { SimWorld } from './sim-world.js';

/** What a connection to `host:port` on this machine reaches right now. */
export interface Reachability {
  readonly ready: boolean;
  /** What a client would see (the "last seen" of a `NotReadyError`). */
  readonly observation: string;
  /** When a rollout behind the endpoint completes, if one is in progress. */
  readonly readyAt?: number;
  /** The Deployment that answers (when reached). */
  readonly deployment?: SimDeployment;
  readonly cluster?: SimCluster;
  readonly containerPort?: number;
}

const localHosts = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function firstReady(deployments: readonly SimDeployment[], now: number): SimDeployment | undefined {
  return deployments.find((d) => isDeploymentReady(d, now));
}

function pending(deployments: readonly SimDeployment[]): number | undefined {
  const times = deployments.map((d) => d.readyAt).filter((t): t is number => t !== undefined);
  return times.length ? Math.min(...times) : undefined;
}

/** Deployments in `namespace` whose pod labels match `selector`. */
export function selectedDeployments(
  cluster: SimCluster,
  namespace: string,
  selector: Readonly<Record<string, string>>,
): SimDeployment[] {
  return [...cluster.deployments.values()].filter(
    (d) => d.namespace === namespace && labelsMatch(selector, d.podLabels),
  );
}

/**
 * Follows a connection the way it travels: a port-forward's local port → its pod; or a host port
 * published by a kind node (`extraPortMappings` hostPort → containerPort) → the Service with that
 * nodePort → the Deployments its selector picks. Ready when one of them is ready.
 */
export function reach(world: SimWorld, host: string, port: number): Reachability {
  const now = world.now();
  if (!localHosts.has(host)) {
    return {
      ready: false,
      observation: `host "${host}" is outside the simulation (only localhost ports published by a simulated cluster or port-forward exist)`,
    };
  }
  const forward = world.portForwards.get(port);
  if (forward) {
    const cluster = world.clusters.get(forward.cluster);
    const deployment = cluster?.deployment(forward.namespace, forward.deployment);
    if (!cluster || !deployment)
      return {
        ready: false,
        observation: `port-forward on ${port} lost its pod (deployment/${forward.deployment} is gone)`,
      };
    const ready = isDeploymentReady(deployment, now);
    return {
      ready,
      observation: ready
        ? `port-forward ${port} → deployment/${deployment.name}:${forward.containerPort}`
        : describeDeployment(deployment, now),
      ...(deployment.readyAt === undefined ? {} : { readyAt: deployment.readyAt }),
      deployment,
      cluster,
      containerPort: forward.containerPort,
    };
  }
  for (const cluster of world.clusters.values()) {
    const mapping = cluster.portMappings?.find((m) => m.hostPort === port);
    if (!mapping) continue;
    const nodePort = mapping.containerPort;
    for (const object of cluster.objectsOfKind('service')) {
      const parsed = serviceSchema.safeParse(object);
      if (!parsed.success) continue;
      const spec = parsed.data.spec;
      const servicePort = spec.ports?.find((p) => p.nodePort === nodePort);
      if (!servicePort || (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer')) continue;
      const namespace = object.metadata.namespace ?? 'default';
      const id = `service/${object.metadata.name} (namespace ${namespace}, nodePort ${nodePort})`;
      const selected = selectedDeployments(cluster, namespace, spec.selector ?? {});
      if (selected.length === 0) {
        return {
          ready: false,
          observation: `${id} selects no pods (selector ${JSON.stringify(spec.selector ?? {})})`,
          cluster,
        };
      }
      const ready = firstReady(selected, now);
      const readyAt = pending(selected);
      const targetPort =
        typeof servicePort.targetPort === 'number' ? servicePort.targetPort : servicePort.port;
      if (ready)
        return {
          ready: true,
          observation: `${id} → deployment/${ready.name}: HTTP 200`,
          deployment: ready,
          cluster,
          containerPort: targetPort,
        };
      return {
        ready: false,
        observation: `${id} has no ready endpoints; ${selected.map((d) => describeDeployment(d, now)).join('; ')}`,
        ...(readyAt === undefined ? {} : { readyAt }),
        cluster,
      };
    }
    return {
      ready: false,
      observation: `connection reset: host port ${port} reaches node port ${nodePort} of cluster "${cluster.name}", but no NodePort Service uses nodePort ${nodePort}`,
      cluster,
    };
  }
  return {
    ready: false,
    observation: `connect ECONNREFUSED 127.0.0.1:${port} (no simulated cluster publishes host port ${port} in its extraPortMappings, and no port-forward uses it)`,
  };
}
