import type { Clock } from './clock.js';
import type { ClusterProvider } from './cluster-provider.js';
import type { ImageBuilder, ImageLoader } from './image-pipeline.js';
import type { KubeClientFactory } from './kube-client.js';
import type { Migrator } from './migrator.js';
import type { ReadinessProber } from './probes.js';

/**
 * The ports one run needs. The real adapters or the simulator (`@kubernaut-e2e/sim`, whose `SimToolchain` is this
 * plus its world) provide them; the orchestrator's scheduler and step handlers use nothing else, so the same plan
 * runs on either.
 */
export interface Toolchain {
  readonly clock: Clock;
  readonly imageBuilder: ImageBuilder;
  readonly imageLoader: ImageLoader;
  readonly cluster: ClusterProvider;
  readonly kube: KubeClientFactory;
  readonly migrator: Migrator;
  readonly prober: ReadinessProber;
}
