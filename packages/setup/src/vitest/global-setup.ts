import { ConfigError } from '@kubernaut-e2e/core';
import type {} from 'vitest';
import { findConfigFile, type LoadedConfig, loadConfigFile } from '../config/load-config.js';
import { findService, serviceOptions } from '../config/service-options.js';
import type { InfrastructureHandle } from '../handle.js';
import type { SetupOptions } from '../options.js';
import { diagnosticsOfFailedSetup } from '../run-reports.js';
import type { Service } from '../service/definition.js';
import { setupInfrastructure } from '../setup-infrastructure.js';

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
  /** Where this run writes what it finds out (`~/.local/state/kubernaut-e2e/runs/<project>/<service>/` by default). */
  readonly outputDir: string;
  /** The run's CA (PEM) to trust for the `https://` endpoints; absent when the service serves no TLS. */
  readonly caFile?: string;
  /** With coverage on: where the coverage data and report go when the run is torn down. */
  readonly coverageReportDir?: string;
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
 * import { gatewayGlobalSetup } from '@kubernaut-e2e/gateway/vitest';
 * export default gatewayGlobalSetup({ pattern: 'dag' });
 * ```
 */
export function createGlobalSetup(
  setup: Service | ((options?: SetupOptions) => Promise<InfrastructureHandle>),
  options: SetupOptions = {},
): (project: ProvidingProject) => Promise<() => Promise<void>> {
  return async (project) => {
    let infra: InfrastructureHandle;
    try {
      infra = typeof setup === 'function' ? await setup(options) : await setupInfrastructure(setup, options);
    } catch (error) {
      // vitest shows the message: put where the diagnostics are, and what they found, into it.
      const diagnostics = diagnosticsOfFailedSetup(error);
      if (diagnostics && error instanceof Error) error.message += `\n\n${diagnostics.lines.join('\n')}`;
      throw error;
    }
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
      outputDir: infra.outputDir,
      ...(infra.caFile ? { caFile: infra.caFile } : {}),
      ...(infra.coverageReportDir ? { coverageReportDir: infra.coverageReportDir } : {}),
    });
    return () => infra.teardown();
  };
}

/**
 * A vitest `globalSetup` for a service the project config declares (`kubernaut-e2e.config.ts`, found from the
 * working directory up, or `configFile`): the config's defaults and overrides apply, then `options`.
 *
 * ```ts
 * import { projectGlobalSetup } from '@kubernaut-e2e/setup/vitest';
 * export default projectGlobalSetup('orders');
 * ```
 */
export function projectGlobalSetup(
  service: string,
  options: SetupOptions & { readonly configFile?: string } = {},
): (project: ProvidingProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const { configFile, ...given } = options;
    const file = configFile ?? findConfigFile(process.cwd());
    if (file === undefined) {
      throw ConfigError.field(
        'configFile',
        `no kubernaut-e2e.config.ts found from ${process.cwd()} up; pass configFile or use the service package's global setup`,
        'vitest global setup',
      );
    }
    const config: LoadedConfig = await loadConfigFile(file);
    const definition = findService(config, service);
    if (definition === undefined) {
      throw ConfigError.field(
        'service',
        `${file} declares no service "${service}"; declared: ${config.services.map((s) => s.name).join(', ')}`,
        'vitest global setup',
      );
    }
    return createGlobalSetup(definition, serviceOptions(config, service, given))(project);
  };
}
