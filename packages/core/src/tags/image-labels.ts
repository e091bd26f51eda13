/*
 * The labels kubernaut-e2e puts on what it creates: every image it builds, and a run's namespace on a shared
 * cluster. They are how a later run (or `down`, or `status`) recognises its own, so every builder — the real
 * podman/docker one and the simulated one — and the shared-cluster setup use exactly these names, from here.
 */

/** Image label holding the content hash of the build inputs (the build cache key). */
export const CONTENT_HASH_LABEL = 'io.kubernaut-e2e.content-hash';

/**
 * The service an image was built for, or a shared cluster's namespace was made for (for humans,
 * `images --filter label=…` and `kubectl get namespaces -l io.kubernaut-e2e.service=gateway`).
 */
export const SERVICE_LABEL = 'io.kubernaut-e2e.service';

/**
 * The run (the run ledger's `runId`) that built an image, or that owns a namespace on a shared cluster. podman puts a build's labels on
 * every intermediate image it commits, and an intermediate reused from the layer cache keeps the label of the
 * run that created it, so this label tells exactly which untagged images a failed or cancelled run left behind
 * — and never matches another run's.
 */
export const RUN_LABEL = 'io.kubernaut-e2e.run';
