import type {} from 'vitest';
import type { InfrastructureHandle } from './handle.js';
import type { SetupOptions } from './setup-options.js';

/** What a test file gets from `inject('kubernautE2E')`: plain, serializable data. */
export interface ProvidedInfrastructure {
  readonly service: string;
  readonly runtime: InfrastructureHandle['runtime'];
  readonly pattern: InfrastructureHandle['pattern'];
  readonly clusterName: string;
  readonly kubeconfigPath: string;
  readonly namespace: string;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly images: Readonly<Record<string, string>>;
  /** Setup makespan on the run's clock (simulated seconds on the sim). */
  readonly setupMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kubernautE2E: ProvidedInfrastructure;
  }
}

/** The slice of vitest's `TestProject` a global setup uses (kept structural: no runtime import of vitest). */
export interface ProvidingProject {
  provide(key: 'kubernautE2E', value: ProvidedInfrastructure): void;
}

/**
 * A vitest `globalSetup` that sets the infrastructure up once per run, `provide()`s kubeconfig and endpoints to
 * every worker (`inject('kubernautE2E')` in test files, typed), and tears it down by the keep policy after the
 * last file — the seed's SynchronizedBeforeSuite.
 *
 * ```ts
 * // e2e/global-setup.ts (listed in vitest's `test.globalSetup`)
 * import { gatewayGlobalSetup } from '@kubernaut-e2e/gateway';
 * export default gatewayGlobalSetup({ pattern: 'dag' });
 * ```
 */
export function createGlobalSetup(
  setup: (options?: SetupOptions) => Promise<InfrastructureHandle>,
  options: SetupOptions = {},
): (project: ProvidingProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const infra = await setup(options);
    project.provide('kubernautE2E', {
      service: infra.service,
      runtime: infra.runtime,
      pattern: infra.pattern,
      clusterName: infra.clusterName,
      kubeconfigPath: infra.kubeconfigPath,
      namespace: infra.namespace,
      endpoints: { ...infra.endpoints },
      images: { ...infra.images },
      setupMs: infra.trace.makespanMs,
    });
    return () => infra.teardown();
  };
}
