import { createHash } from 'node:crypto';
import {
  type BuiltImage,
  CONTENT_HASH_LABEL,
  type ImageBuildConfig,
  type ImageBuilder,
  imageNameSchema,
  imageTagSchema,
  kubeNameSchema,
  normalizeImageRef,
  type OperationContext,
  parseInput,
  SERVICE_LABEL,
} from '@kubernaut-e2e/core';
import { z } from 'zod';
import { canonicalJson } from '../world/kube-objects.js';
import type { SimWorld } from '../world/sim-world.js';
import type { SimContainerEngine } from './sim-container-engine.js';

/** The fields the real builder validates, with core's grammar, so the sim refuses what it refuses. */
const buildConfigSchema = z.looseObject({
  serviceName: kubeNameSchema,
  imageName: imageNameSchema,
  dockerfilePath: z.string().min(1, { message: 'dockerfilePath must not be empty' }),
  buildContextPath: z.string().optional(),
  consumer: kubeNameSchema.optional(),
  tag: imageTagSchema.optional(),
});

/**
 * The reference the simulated builder gives `config`, and the hash it caches by (the hash of the configuration: the
 * sim reads no files). Throws `ConfigError` for a config the real builder's grammar refuses.
 */
export function simBuildKey(config: ImageBuildConfig): { readonly ref: string; readonly hash: string } {
  parseInput(buildConfigSchema, config, 'image build config');
  const { timeoutMs: _timeout, ...keyed } = config;
  const hash = createHash('sha256').update(canonicalJson(keyed)).digest('hex');
  const ref = `localhost/${config.imageName}:${config.tag ?? `${config.consumer ?? config.serviceName}-${hash.slice(0, 12)}`}`;
  return { ref, hash };
}

/** The reference the simulated builder gives an image built from `config`, computed without building. */
export function simImageRef(config: ImageBuildConfig): string {
  return simBuildKey(config).ref;
}

/**
 * `ImageBuilder` on the simulated engine. The cache key is the hash of the build configuration (the sim
 * reads no files, so it stands in for the real builder's content hash): a configuration built (or
 * pre-warmed) before is `cached: true` and costs the profile's cached time; otherwise the engine builds
 * for the service's full build time. Refs are `localhost/<imageName>:<tag>` or
 * `localhost/<imageName>:<consumer>-<12 hex of the hash>`. Images carry the real builder's labels
 * (`SERVICE_LABEL`, `CONTENT_HASH_LABEL` from core), so whatever finds images by label finds these too.
 */
export class SimImageBuilder implements ImageBuilder {
  constructor(
    private readonly world: SimWorld,
    private readonly engine: SimContainerEngine,
  ) {}

  async build(config: ImageBuildConfig, ctx?: OperationContext): Promise<BuiltImage> {
    const { ref, hash } = simBuildKey(config);
    const labels = { [SERVICE_LABEL]: config.serviceName, [CONTENT_HASH_LABEL]: hash };
    const buildArgs = {
      ...(config.buildArgs ?? {}),
      ...(config.enableCoverage ? { GOFLAGS: '-cover' } : {}),
    };
    const dockerfile = config.dockerfilePath;
    const context = config.buildContextPath ?? '.';

    if (this.world.warmCache || this.world.buildCache.has(hash)) {
      const id = await this.world.operate(
        'build',
        [config.serviceName, ref, `localhost/${config.imageName}`, config.imageName],
        {
          argv: ['podman', 'build', '--tag', ref, '--file', dockerfile, context],
          failure: ['Error: committing container for step {Env:[] Command:copy}: no space left on device'],
          transientFailure: ['Error: database is locked'],
        },
        ctx,
        async () => {
          await this.world.sleep(this.world.profile.build.cachedMs, ctx);
          // Every layer is cached: the build only (re)creates the final name.
          return (this.world.imageByRef(ref) ?? this.world.storeImage(ref, labels)).id;
        },
      );
      if (!this.world.buildCache.has(hash)) {
        // First hit of a pre-warmed cache: an earlier run built this image, and loaded it into the
        // clusters it left behind.
        for (const cluster of this.world.clusters.values()) {
          if (cluster.leftByEarlierRun) cluster.nodeImages.add(normalizeImageRef(ref));
        }
      }
      this.world.buildCache.add(hash);
      return { ref, id, cached: true };
    }
    const { id } = await this.engine.build({ ref, dockerfile, context, buildArgs, labels }, ctx);
    this.world.buildCache.add(hash);
    return { ref, id, cached: false };
  }
}
