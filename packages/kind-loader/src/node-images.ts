import type { OperationContext } from '@kubernaut-e2e/core';
import { parseCrictlImages } from '@kubernaut-e2e/core/internal';
import { controlPlaneNode } from './kind-command.js';
import { type KindLoadOptions, providerOf } from './load-options.js';
import { nodeImageName } from './node-image-name.js';

/** What the nodes hold: name → config digests (empty set when the source gives names only). */
export type NodeImages = Map<string, Set<string>>;

/** Lists the images on the cluster's nodes (see `KindLoadOptions.cluster`), keyed by node name. */
export async function listNodeImages(
  clusterName: string,
  options: KindLoadOptions,
  ctx: OperationContext,
): Promise<NodeImages> {
  const images: NodeImages = new Map();
  if (options.cluster) {
    for (const name of await options.cluster.listNodeImages(clusterName, ctx))
      images.set(nodeImageName(name), new Set());
    return images;
  }
  const provider = providerOf(options);
  const result = await options.runner.run(
    provider,
    ['exec', controlPlaneNode(clusterName), 'crictl', 'images', '-o', 'json'],
    {
      ...ctx,
      logSource: ctx.logSource ?? provider,
    },
  );
  for (const image of parseCrictlImages(result.stdout)) {
    for (const tag of image.repoTags) {
      const ids = images.get(nodeImageName(tag)) ?? new Set<string>();
      ids.add(image.id);
      images.set(nodeImageName(tag), ids);
    }
  }
  return images;
}
