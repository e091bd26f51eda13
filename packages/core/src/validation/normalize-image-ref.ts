import { ConfigError } from '../errors/config-error.js';

/**
 * The fully-qualified name containerd stores an image under — docker's reference normalisation, which
 * containerd applies when importing an archive and the kubelet applies to a pod's `image:`:
 *
 * - a first path component with a `.` or `:`, or exactly `localhost`, is a registry host and is kept, so
 *   podman's `localhost/kubernaut/x:tag` stays as it is (a pod spec must say `localhost/…` too);
 * - otherwise the registry is `docker.io`, and a single-component name gains `library/`;
 * - no tag means `:latest`; with a digest the tag is dropped.
 *
 * So `nginx` and `docker.io/library/nginx:latest` compare equal.
 */
export function normalizeImageRef(ref: string): string {
  const trimmed = ref.trim();
  if (trimmed === '') throw ConfigError.field('image', 'the image reference is empty');
  const at = trimmed.indexOf('@');
  let name = at >= 0 ? trimmed.slice(0, at) : trimmed;
  const digest = at >= 0 ? trimmed.slice(at) : '';
  let tag = '';
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon);
    name = name.slice(0, colon);
  }
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (/[.:]/.test(first) || first === 'localhost');
  let registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? name.slice(slash + 1) : name;
  if (registry === 'index.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (digest) return `${registry}/${path}${digest}`;
  return `${registry}/${path}${tag || ':latest'}`;
}
