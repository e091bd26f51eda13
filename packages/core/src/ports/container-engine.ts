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
   * Pushes `sourceRef` to the registry under `targetRef` in one command, without adding a local name — when the
   * engine can (podman's `push SOURCE DESTINATION`; docker cannot, so callers tag, push and untag instead).
   */
  pushAs?(sourceRef: string, targetRef: string, ctx?: OperationContext): Promise<void>;
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
