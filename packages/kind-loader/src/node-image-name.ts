import { normalizeImageRef } from '@kubernaut-e2e/core';

/**
 * The name a kind node (containerd) stores an image under, and so the name a pod spec must resolve to.
 * It is docker's reference normalisation, which containerd applies when importing an archive and the
 * kubelet applies to a pod's `image:`:
 *
 * - a first path component with a `.` or `:`, or exactly `localhost`, is a registry host and is kept —
 *   so podman's `localhost/kubernaut/x:tag` stays `localhost/kubernaut/x:tag` (the pod spec must say
 *   `localhost/…` too: `kubernaut/x:tag` would mean `docker.io/kubernaut/x:tag`, which the node lacks);
 * - otherwise the registry is `docker.io`, and a single-component name gets `library/` — docker's
 *   `kubernaut/x:tag` is stored as `docker.io/kubernaut/x:tag`;
 * - no tag means `:latest`; with a digest the tag is dropped.
 */
export function nodeImageName(ref: string): string {
  return normalizeImageRef(ref);
}
