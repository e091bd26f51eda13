import { normalizeImageRef } from '@kubernaut-e2e/core';
import { isLocalOnlyRef, isPinnedRef, splitImageRef } from './image-ref.js';
import type { ContainerShape } from './kube-objects.js';
import type { SimCluster } from './sim-cluster.js';

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
