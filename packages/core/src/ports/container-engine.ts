import type { OperationContext } from './operation-context.js';

export type EngineName = 'podman' | 'docker' | 'sim';

export interface BuildRequest {
  /** Full reference to tag the result with, e.g. `localhost/kubernaut/gateway:gateway-e2e-1a2b3c4d5e6f`. */
  readonly ref: string;
  /** Absolute path of the Dockerfile. */
  readonly dockerfile: string;
  /** Absolute path of the build context. */
  readonly context: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** e.g. `linux/amd64`; the host's architecture when omitted. */
  readonly platform?: string;
  /** Read-only bind mount of a host directory into every RUN step (e.g. a Go module cache). */
  readonly readOnlyMounts?: readonly { readonly source: string; readonly target: string }[];
  readonly timeoutMs?: number;
}

export interface ImageInfo {
  readonly id: string;
  /** Every name the image carries locally, as the engine reports it. */
  readonly refs: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly sizeBytes?: number;
}

/** Builds and stores images on the host (podman or docker). */
export interface ContainerEngine {
  readonly name: EngineName;
  build(request: BuildRequest, ctx?: OperationContext): Promise<{ readonly id: string }>;
  /** The image with this exact reference, or `undefined` when the engine has none. */
  inspect(ref: string, ctx?: OperationContext): Promise<ImageInfo | undefined>;
  /** Images carrying `label=value`, newest first. */
  findByLabel(label: string, value: string, ctx?: OperationContext): Promise<readonly ImageInfo[]>;
  /**
   * Every image carrying `label`, whatever its value, with when it was created (ms since the epoch): what
   * `prune` and `status` read. Optional: an engine without it cannot be pruned.
   */
  listLabelled?(
    label: string,
    ctx?: OperationContext,
  ): Promise<readonly (ImageInfo & { readonly createdAt: number })[]>;
  tag(sourceRef: string, targetRef: string, ctx?: OperationContext): Promise<void>;
  /** Writes every ref into ONE archive (docker-archive format, all names kept). */
  save(refs: readonly string[], archivePath: string, ctx?: OperationContext): Promise<void>;
  removeImage(ref: string, ctx?: OperationContext): Promise<void>;
  /** Pushes to a registry (for existing clusters that cannot `kind load`). */
  push(ref: string, ctx?: OperationContext): Promise<void>;
  /**
   * Pushes `sourceRef` to the registry under `targetRef`, leaving no new local name, in the fewest steps the
   * engine has: podman's one `push SOURCE DESTINATION`; docker's Engine API on its unix socket (tag, push, untag
   * in this process) for a registry on this machine, else its CLI. An engine without it is pushed with
   * {@link pushByTagging}.
   */
  pushAs?(sourceRef: string, targetRef: string, ctx?: OperationContext): Promise<void>;
  /**
   * Finds out, once and ahead of the first `pushAs`, what pushing needs (docker: which daemon socket its CLI
   * talks to), so that no push waits for it. Never fails: what it cannot find out, `pushAs` does without.
   */
  preparePush?(): Promise<void>;
  /**
   * Copies `srcPath` out of a container into the host directory `destDir` (`podman cp` / `docker cp`), e.g.
   * a kind node's `/coverdata`. With a `srcPath` ending in `/.` the directory's contents land directly in
   * `destDir`, which must exist.
   */
  copyFromContainer(
    container: string,
    srcPath: string,
    destDir: string,
    ctx?: OperationContext,
  ): Promise<void>;
}

/**
 * `sourceRef` pushed as `targetRef` with the engine's plain `tag`, `push` and `removeImage`: what `pushAs` does
 * for an engine that has no shorter way. The extra name is removed however the push ends — also when it is
 * cancelled, so the removal does not take the signal.
 */
export async function pushByTagging(
  engine: Pick<ContainerEngine, 'tag' | 'push' | 'removeImage'>,
  sourceRef: string,
  targetRef: string,
  ctx?: OperationContext,
): Promise<void> {
  await engine.tag(sourceRef, targetRef, ctx);
  try {
    await engine.push(targetRef, ctx);
  } finally {
    const { signal: _cancelled, ...cleanupCtx } = ctx ?? {};
    if (targetRef !== sourceRef) await engine.removeImage(targetRef, cleanupCtx).catch(() => undefined);
  }
}
