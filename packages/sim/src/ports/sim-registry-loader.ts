import {
  type ContainerEngine,
  heldByEngine,
  type ImageLoader,
  type LoadReport,
  type OperationContext,
  parseRegistryAddress,
  registryImageRef,
} from '@kubernaut-e2e/core';

/**
 * Registry mode, simulated like `createRegistryImageLoader` of `@kubernaut-e2e/kind-loader`: each image is tagged
 * with its registry name and pushed (`profile.load.pushMs` each); no cluster is needed, so pushes overlap cluster
 * creation. Clusters pull pushed refs (see `SimCluster.registry`).
 */
export class SimRegistryImageLoader implements ImageLoader {
  readonly delivery = 'registry' as const;
  readonly #address;

  constructor(
    private readonly engine: ContainerEngine,
    registry: string,
  ) {
    this.#address = parseRegistryAddress(registry, 'registry');
  }

  held(refs: readonly string[], ctx?: OperationContext): Promise<readonly string[]> {
    return heldByEngine(this.engine, refs, ctx);
  }

  async load(refs: readonly string[], _clusterName: string, ctx?: OperationContext): Promise<LoadReport> {
    const unique = [...new Set(refs)];
    const podRefs: Record<string, string> = {};
    for (const ref of unique) {
      const target = registryImageRef(ref, this.#address);
      await this.engine.tag(ref, target, ctx);
      await this.engine.push(target, ctx);
      podRefs[ref] = target;
    }
    return { loaded: unique, skipped: [], podRefs };
  }
}
