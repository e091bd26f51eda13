import { createHash } from 'node:crypto';
import type { BuiltImage, ImageBuildConfig, ImageBuilder, OperationContext } from '@kubernaut-e2e/core';
import { z } from 'zod';
import { parseOrThrow } from '../validation.js';
import { normalizeImageRef } from '../world/image-ref.js';
import { canonicalJson } from '../world/kube-objects.js';
import type { SimWorld } from '../world/sim-world.js';
import type { SimContainerEngine } from './sim-container-engine.js';

/** Label the simulated builder puts on every image: the service it is for. */
export const SIM_SERVICE_LABEL = 'io.kubernaut.service';
/** Label holding the hash of the build configuration (the cache key). */
export const SIM_BUILD_HASH_LABEL = 'io.kubernaut.build-hash';

const kubeName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const buildConfigSchema = z.looseObject({
  serviceName: z
    .string()
    .regex(kubeName, { message: 'serviceName must be lower-case letters, digits and "-", e.g. "gateway"' }),
  imageName: z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, {
    message:
      'imageName must be a lower-case repository path without registry or tag, e.g. "kubernaut/gateway"',
  }),
  dockerfilePath: z.string().min(1, { message: 'dockerfilePath must not be empty' }),
  buildContextPath: z.string().optional(),
  consumer: z
    .string()
    .regex(kubeName, { message: 'consumer must be lower-case letters, digits and "-", e.g. "gateway-e2e"' })
    .optional(),
  tag: z
    .string()
    .regex(/^[\w][\w.-]{0,127}$/, { message: 'tag must be 1–128 letters, digits, "_", "." or "-"' })
    .optional(),
});

/**
 * `ImageBuilder` on the simulated engine. The cache key is the hash of the build configuration: a
 * configuration built (or pre-warmed) before is `cached: true` and costs the profile's cached time;
 * otherwise the engine builds for the service's full build time. Refs are
 * `localhost/<imageName>:<tag>` or `localhost/<imageName>:<consumer>-<12 hex of the hash>`.
 */
export class SimImageBuilder implements ImageBuilder {
  constructor(
    private readonly world: SimWorld,
    private readonly engine: SimContainerEngine,
  ) {}

  async build(config: ImageBuildConfig, ctx?: OperationContext): Promise<BuiltImage> {
    parseOrThrow(buildConfigSchema, config, 'image build config');
    const { timeoutMs: _timeout, ...keyed } = config;
    const hash = createHash('sha256').update(canonicalJson(keyed)).digest('hex');
    const ref = `localhost/${config.imageName}:${config.tag ?? `${config.consumer ?? config.serviceName}-${hash.slice(0, 12)}`}`;
    const labels = { [SIM_SERVICE_LABEL]: config.serviceName, [SIM_BUILD_HASH_LABEL]: hash };
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
