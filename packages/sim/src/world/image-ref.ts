/*
 * Lenient reading of the image references found in manifests, as the kubelet sees them. Core's
 * `parseImageRef` validates (and throws `ConfigError`); here a bad reference must instead become a pod
 * that never starts, so nothing is refused. The stored name on a node is core's `normalizeImageRef`.
 */

/** An image reference split into its parts (no validation beyond what the split needs). */
export interface SplitImageRef {
  /** `localhost`, `docker.io`, `quay.io:443`…; `undefined` when the ref names none (Docker Hub). */
  readonly registry: string | undefined;
  /** Path without registry, e.g. `kubernaut/gateway`. */
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

export function splitImageRef(ref: string): SplitImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  let rest = at >= 0 ? ref.slice(0, at) : ref;
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    registry: hasRegistry ? first : undefined,
    repository: hasRegistry ? rest.slice(slash + 1) : rest,
    tag,
    digest,
  };
}

/** Last path segment of the repository: `localhost/kubernaut/gateway:x` → `gateway`. */
export function imageShortName(ref: string): string {
  const repository = splitImageRef(ref).repository;
  return repository.slice(repository.lastIndexOf('/') + 1);
}

/** Only this machine has it: a `localhost` registry can never be pulled by a node. */
export function isLocalOnlyRef(ref: string): boolean {
  const registry = splitImageRef(ref).registry;
  return registry === 'localhost' || (registry?.startsWith('localhost:') ?? false);
}

/** Pinned to a tag other than `latest`, or to a digest. */
export function isPinnedRef(ref: string): boolean {
  const parsed = splitImageRef(ref);
  return parsed.digest !== undefined || (parsed.tag !== undefined && parsed.tag !== 'latest');
}
