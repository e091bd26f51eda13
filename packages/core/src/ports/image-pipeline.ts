import type { OperationContext } from './operation-context.js';

/**
 * What to build: the seed's `E2EImageConfig`, in camelCase. `@kubernaut-e2e/image-builder` validates it
 * with a zod schema (defaults, path containment, name grammar) before anything runs.
 */
export interface ImageBuildConfig {
  /** Short service name, e.g. `datastorage` (used in tags, log prefixes and archive names). */
  readonly serviceName: string;
  /** Repository without registry or tag, e.g. `kubernaut/datastorage`. */
  readonly imageName: string;
  /** Relative to the project root. */
  readonly dockerfilePath: string;
  /** Relative to the project root; the project root itself when omitted. */
  readonly buildContextPath?: string;
  /** Adds `--build-arg GOFLAGS=-cover`; defaults to `E2E_COVERAGE=true`. */
  readonly enableCoverage?: boolean;
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** The suite that needs the image (goes into the tag), e.g. `gateway-e2e`. */
  readonly consumer?: string;
  /** Fixed tag; a content-hash tag is used when omitted. */
  readonly tag?: string;
  /** Host Go module cache, mounted read-only into the build. */
  readonly goModCache?: string;
  readonly timeoutMs?: number;
}

export interface BuiltImage {
  /** Reference the engine holds and a pod spec must use, e.g. `localhost/kubernaut/gateway:…`. */
  readonly ref: string;
  readonly id: string;
  /** True when an identical build (same content hash) was found and no build ran. */
  readonly cached: boolean;
}

export interface LoadReport {
  /** References imported into the nodes by this call. */
  readonly loaded: readonly string[];
  /** References that were already on every node and were skipped. */
  readonly skipped: readonly string[];
  /**
   * Built reference → the reference a pod spec must use, for each ref that reaches the nodes under another name
   * (registry mode pushes `localhost/kubernaut/gateway:t` as `localhost:5001/kubernaut/gateway:t`). Absent: the
   * nodes hold each image under its built name.
   */
  readonly podRefs?: Readonly<Record<string, string>>;
}

/** Builds one image (with caching); implemented by `@kubernaut-e2e/image-builder`. */
export interface ImageBuilder {
  build(config: ImageBuildConfig, ctx?: OperationContext): Promise<BuiltImage>;
}

/** Puts built images onto a cluster's nodes; implemented by `@kubernaut-e2e/kind-loader` (or a registry push). */
export interface ImageLoader {
  /**
   * `archive` (default): images are imported into existing nodes, so a load needs the cluster. `registry`: images
   * are pushed to a registry the nodes pull from, so a load needs only the build and can run while the cluster is
   * still being created.
   */
  readonly delivery?: 'archive' | 'registry';
  load(
    refs: readonly string[],
    clusterName: string,
    ctx?: OperationContext,
    known?: LoadKnowledge,
  ): Promise<LoadReport>;
  /**
   * Which of these references the local engine holds. An image the run does not build (`postgres:16-alpine`) is
   * loaded (or pushed) only when it does; otherwise the nodes pull it.
   */
  held(refs: readonly string[], ctx?: OperationContext): Promise<readonly string[]>;
}

/** The references an engine holds, asked one `inspect` at a time (what every loader over an engine answers). */
export async function heldByEngine(
  engine: { inspect(ref: string, ctx?: OperationContext): Promise<{ readonly id: string } | undefined> },
  refs: readonly string[],
  ctx?: OperationContext,
): Promise<string[]> {
  const found = await Promise.all(
    refs.map(async (ref) => ((await engine.inspect(ref, ctx)) ? ref : undefined)),
  );
  return found.filter((ref): ref is string => ref !== undefined);
}

/** What the caller already knows about the images it loads, so a loader need not ask the engine again. */
export interface LoadKnowledge {
  /** Built reference → the engine's image ID, as the build reported it. */
  readonly imageIds?: Readonly<Record<string, string>>;
}
