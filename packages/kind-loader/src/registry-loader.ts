import {
  type ContainerEngine,
  heldByEngine,
  type ImageLoader,
  type LoadKnowledge,
  type LoadReport,
  type OperationContext,
  parseRegistryAddress,
  pushByTagging,
  registryImageRef,
} from '@kubernaut-e2e/core';
import { loadFailure } from './load-archive.js';
import { configDigestOf, registryConfigDigest } from './registry-manifest.js';

export interface RegistryLoaderOptions {
  /** The engine that built the images and pushes them. */
  readonly engine: ContainerEngine;
  /** `host:port[/prefix]` the nodes pull from, e.g. `localhost:5001` (kind's local registry). */
  readonly registry: string;
}

/**
 * The `ImageLoader` port for registry mode: each image is pushed under its registry name with the engine's
 * `pushAs` (podman: one command; docker: its Engine API, no process), else tagged, pushed and untagged; the built
 * name stays, as the build cache.
 * Nothing here touches the cluster, so a push can run while the cluster is still being created; the nodes pull
 * the image when a pod needs it, fetching only the layers they lack. The engine's push uploads only layers the
 * registry lacks, so a second run moves only what changed, and an image the registry already holds under its
 * name with the same config digest (the image ID) is not pushed at all: one HTTP request instead of engine
 * processes. `podRefs` in the report tells the deploy steps which name a pod spec must use; `skipped` lists the
 * images the registry already held.
 */
export function createRegistryImageLoader(options: RegistryLoaderOptions): ImageLoader & {
  readonly registry: string;
  /** The name `ref` has in the registry. */
  podRef(ref: string): string;
} {
  const address = parseRegistryAddress(options.registry, 'registry');
  const podRef = (ref: string) => registryImageRef(ref, address);
  // Pushes through one loader run one at a time. Why: the plan pushes each image the moment it is built, so the
  // pushes of images that share a base layer overlap, and each would upload that layer (neither sees it in the
  // registry yet). One after the other, the second finds the layer there and uploads only its own.
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(push: () => Promise<T>): Promise<T> => {
    const next = queue.then(push, push);
    queue = next.catch(() => undefined);
    return next;
  };
  async function push(ref: string, target: string, ctx?: OperationContext): Promise<void> {
    const what = `pushing image ${ref} to registry ${address.text} as ${target} (is the registry running and reachable from this machine?)`;
    const pushing = options.engine.pushAs
      ? options.engine.pushAs(ref, target, ctx)
      : pushByTagging(options.engine, ref, target, ctx);
    await pushing.catch((error: unknown) => {
      throw loadFailure(error, what);
    });
  }
  // Whatever pushing needs to find out (docker: its daemon's socket) is found out now, while the images build. A
  // caller's engine that breaks the port's "never fails" only loses the head start.
  void options.engine.preparePush?.().catch(() => undefined);
  return {
    delivery: 'registry',
    registry: address.text,
    podRef,
    held: (refs, ctx) => heldByEngine(options.engine, refs, ctx),
    async load(refs, _clusterName, ctx?: OperationContext, known?: LoadKnowledge): Promise<LoadReport> {
      const unique = [...new Set(refs)];
      const podRefs: Record<string, string> = {};
      const loaded: string[] = [];
      const skipped: string[] = [];
      for (const ref of unique) {
        const target = podRef(ref);
        podRefs[ref] = target;
        // Ask the registry first: on a first run it holds nothing, and no inspect process is started. The ID the
        // build reported (`known`) spares an inspect process per image the registry already holds.
        const held = await registryConfigDigest(target, ctx?.signal);
        const localId = held
          ? (known?.imageIds?.[ref] ?? (await options.engine.inspect(ref, ctx).catch(() => undefined))?.id)
          : undefined;
        if (localId !== undefined && held === configDigestOf(localId)) {
          skipped.push(ref);
          continue;
        }
        await oneAtATime(() => push(ref, target, ctx));
        loaded.push(ref);
      }
      return { loaded, skipped, podRefs };
    },
  };
}
