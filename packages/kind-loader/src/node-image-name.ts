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
  const trimmed = ref.trim();
  if (trimmed === '') throw new Error('nodeImageName: the image reference is empty');
  let name = trimmed;
  let digest = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at);
    name = name.slice(0, at);
  }
  let tag = '';
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon);
    name = name.slice(0, colon);
  }
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? name.slice(slash + 1) : name;
  if (registry === 'index.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (digest) return `${registry}/${path}${digest}`;
  return `${registry}/${path}${tag || ':latest'}`;
}
