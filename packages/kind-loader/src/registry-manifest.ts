import { parseImageRef } from '@kubernaut-e2e/core';

/*
 * Why: the engine's `push` of an image the registry already holds still starts three processes (tag, push —
 * which asks the registry about every layer —, untag). With content-hash tags an unchanged image keeps its name
 * run after run, so one HTTP request answers "already there" instead. The image ID both engines report is the
 * digest of the image's config, and a registry manifest names its config by that digest, so equal digests mean
 * the registry holds exactly this image.
 */

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Loopback registries (kind's `localhost:5001`, a test's own) speak plain HTTP; others HTTPS. */
function manifestUrl(podRef: string): string | undefined {
  const ref = parseImageRef(podRef, 'ref');
  if (!ref.registry || !ref.tag) return undefined;
  const colon = ref.registry.lastIndexOf(':');
  const host = colon < 0 ? ref.registry : ref.registry.slice(0, colon);
  const port = colon < 0 ? '' : ref.registry.slice(colon);
  // kind's registry publishes on 127.0.0.1 only; `localhost` may resolve to ::1 first.
  if (host === 'localhost' || host === '127.0.0.1')
    return `http://127.0.0.1${port}/v2/${ref.repository}/manifests/${ref.tag}`;
  return `https://${ref.registry}/v2/${ref.repository}/manifests/${ref.tag}`;
}

/** `sha256:<hex>` from an image ID, whether the engine prints the algorithm (docker) or not (podman). */
export function configDigestOf(imageId: string): string {
  return imageId.includes(':') ? imageId : `sha256:${imageId}`;
}

/**
 * The config digest of the manifest the registry holds under `podRef`, or `undefined` when it holds none or the
 * question cannot be answered (auth, TLS, a multi-platform index, a timeout): the caller then pushes, which is
 * always correct.
 */
export async function registryConfigDigest(
  podRef: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const url = manifestUrl(podRef);
  if (url === undefined) return undefined;
  try {
    const timeout = AbortSignal.timeout(5_000);
    const response = await fetch(url, {
      headers: { Accept: MANIFEST_TYPES },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!response.ok) return undefined;
    const manifest = (await response.json()) as { config?: { digest?: unknown } };
    return typeof manifest.config?.digest === 'string' ? manifest.config.digest : undefined;
  } catch {
    return undefined;
  }
}
