import type { BuiltImage } from '@kubernaut-e2e/core';
import { type BuildImageOptions, buildImageForKind } from '@kubernaut-e2e/image-builder';
import { loadImageToKind } from './load-image.js';
import type { KindLoadOptions } from './load-options.js';

export interface BuildAndLoadOptions
  extends BuildImageOptions,
    Omit<KindLoadOptions, 'engine' | 'log' | 'logSource' | 'signal' | 'ledger'> {
  /** The kind cluster to load into (the seed's `KindClusterName`); it must exist already. */
  readonly clusterName: string;
  readonly ledger: KindLoadOptions['ledger'] & NonNullable<BuildImageOptions['ledger']>;
}

/**
 * The seed's backward-compatible `BuildAndLoadImageToKind`: build (with the cache), then load into an
 * existing cluster. Prefer building before the cluster exists and loading with `loadImagesToKind`.
 */
export async function buildAndLoadImageToKind(
  config: unknown,
  options: BuildAndLoadOptions,
): Promise<BuiltImage> {
  const built = await buildImageForKind(config, options);
  const serviceName = (config as { serviceName: string }).serviceName;
  await loadImageToKind(built.ref, serviceName, options.clusterName, options);
  return built;
}
