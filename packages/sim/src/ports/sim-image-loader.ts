import {
  type ClusterProvider,
  type ContainerEngine,
  heldByEngine,
  type ImageLoader,
  type LoadReport,
  normalizeImageRef,
  type OperationContext,
} from '@kubernaut-e2e/core';
import type { SimWorld } from '../world/sim-world.js';
import { toolError } from '../world/tool-error.js';

/**
 * `ImageLoader` like the kind loader: images already on the nodes are skipped; the rest go into ONE
 * archive (`engine.save`) imported with one `loadArchive`. The archive is virtual and forgotten after the
 * load, as the real loader deletes its tar file.
 */
export class SimImageLoader implements ImageLoader {
  constructor(
    private readonly world: SimWorld,
    private readonly engine: ContainerEngine,
    private readonly provider: ClusterProvider,
  ) {}

  held(refs: readonly string[], ctx?: OperationContext): Promise<readonly string[]> {
    return heldByEngine(this.engine, refs, ctx);
  }

  async load(refs: readonly string[], clusterName: string, ctx?: OperationContext): Promise<LoadReport> {
    const unique = [...new Set(refs)];
    if (!(await this.provider.exists(clusterName, ctx))) {
      throw toolError(
        ['kind', 'load', 'image-archive', '<archive>', '--name', clusterName],
        [`ERROR: no nodes found for cluster "${clusterName}"`],
        'create the cluster before loading images',
      );
    }
    if (unique.length === 0) return { loaded: [], skipped: [] };
    const present = new Set(await this.provider.listNodeImages(clusterName, ctx));
    const skipped = unique.filter((ref) => present.has(normalizeImageRef(ref)));
    const loaded = unique.filter((ref) => !present.has(normalizeImageRef(ref)));
    if (loaded.length === 0) return { loaded, skipped };
    const archive = this.world.newArchivePath(clusterName);
    try {
      await this.engine.save(loaded, archive, ctx);
      await this.provider.loadArchive(clusterName, archive, ctx);
    } finally {
      this.world.archives.delete(archive);
    }
    const nodes = this.world.clusters.get(clusterName)?.nodeImages;
    for (const ref of loaded) {
      const name = ref
        .split('@')[0]!
        .replace(/:[^/:]*$/, '')
        .split('/')
        .at(-1)!;
      if (this.world.faults.next('node-image', [ref, normalizeImageRef(ref), name])?.kind === 'fail')
        nodes?.delete(normalizeImageRef(ref));
    }
    return { loaded, skipped };
  }
}
