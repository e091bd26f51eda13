// The label names live in core, so the simulated builder uses the same ones; re-exported for callers
// that already import them from here.
export { CONTENT_HASH_LABEL, SERVICE_LABEL } from '@kubernaut-e2e/core';
/**
 * The reference a local build carries. Podman qualifies unqualified names with `localhost/` and kind's
 * containerd keeps that prefix on import, so we name the image that way from the start: the name we
 * return is then the name the engine holds, the archive carries and the node stores.
 */
export function localImageRef(engine, imageName, tag) {
    return engine === 'docker' ? `${imageName}:${tag}` : `localhost/${imageName}:${tag}`;
}
