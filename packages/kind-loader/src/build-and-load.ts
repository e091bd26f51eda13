import { type BuiltImage, clusterNameSchema, parseInput } from '@kubernaut-e2e/core';
import { type BuildImageOptions, buildImageForKind, parseImageConfig } from '@kubernaut-e2e/image-builder';
import { z } from 'zod';
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
 * The config and the cluster name are both validated before anything runs.
 */
export async function buildAndLoadImageToKind(
  config: unknown,
  options: BuildAndLoadOptions,
): Promise<BuiltImage> {
  const { clusterName } = parseInput(
    z.object({ clusterName: clusterNameSchema }),
    { clusterName: options.clusterName },
    'kind image load',
  );
  const { serviceName } = parseImageConfig(config, options.projectRoot, options.env ?? process.env);
  const built = await buildImageForKind(config, options);
  await loadImageToKind(built.ref, serviceName, clusterName, options);
  return built;
}
