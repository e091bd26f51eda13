/*
 * The labels kubernaut-e2e puts on every image it builds. They are how a later run (or `down`, or
 * `status`) recognises its own images, so every builder — the real podman/docker one and the simulated
 * one — must use exactly these names.
 */

/** Image label holding the content hash of the build inputs (the build cache key). */
export const CONTENT_HASH_LABEL = 'io.kubernaut-e2e.content-hash';

/** Image label naming the service the image was built for (for humans and `images --filter label=…`). */
export const SERVICE_LABEL = 'io.kubernaut-e2e.service';

/**
 * Image label naming the run that built the image (the run ledger's `runId`). podman puts a build's labels on
 * every intermediate image it commits, and an intermediate reused from the layer cache keeps the label of the
 * run that created it, so this label tells exactly which untagged images a failed or cancelled run left behind
 * — and never matches another run's.
 */
export const RUN_LABEL = 'io.kubernaut-e2e.run';
