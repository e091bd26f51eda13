import type { EngineName } from '@kubernaut-e2e/core';

/** Image label holding the content hash of the build inputs (the build cache key). */
export const CONTENT_HASH_LABEL = 'io.kubernaut-e2e.content-hash';
/** Image label naming the service the image was built for (for humans and `images --filter`). */
export const SERVICE_LABEL = 'io.kubernaut-e2e.service';

/**
 * The reference a local build carries. Podman qualifies unqualified names with `localhost/` and kind's
 * containerd keeps that prefix on import, so we name the image that way from the start: the name we
 * return is then the name the engine holds, the archive carries and the node stores.
 */
export function localImageRef(engine: EngineName, imageName: string, tag: string): string {
  return engine === 'docker' ? `${imageName}:${tag}` : `localhost/${imageName}:${tag}`;
}
