import type { Pattern } from '@kubernaut-e2e/orchestrator';
import type { BuildSettings } from '../build-settings.js';
import type { KeepPolicy, RuntimeName, SetupOptionsData } from '../options.js';
import type { Service } from '../service/definition.js';

/** Options every service of the project starts from; a command-line flag or a setup option still wins. */
export interface ProjectDefaults {
  readonly pattern?: Pattern;
  readonly runtime?: RuntimeName;
  readonly keep?: KeepPolicy;
  readonly coverage?: boolean;
  readonly reuseCluster?: boolean;
  /**
   * How podman builds: `{ isolation: 'chroot' }` for CI machines whose OCI runtime cannot run build containers,
   * `{ noCache: true }` for the seed's `--no-cache`. Unset, `BUILDAH_ISOLATION` and podman's defaults apply.
   */
  readonly build?: BuildSettings;
  /** Registry mode for every service: `'local'`, or `{ url: 'host:port[/prefix]' }` (an existing cluster needs one). */
  readonly registry?: SetupOptionsData['registry'];
  /** `{ existing: { context, kubeconfig? } }`: every service runs on that shared cluster, each run in its own namespace. */
  readonly cluster?: SetupOptionsData['cluster'];
  /**
   * Restarts after which a crash-looping container fails its rollout wait (default 2; the kubelet waits 10 s, 20 s,
   * 40 s… between them). A component's own `failAfterRestarts` wins.
   */
  readonly failAfterRestarts?: number;
}

/** Per-service settings: how a suite migrates from `standard` to `hybrid` to `dag` without a code change. */
export interface ServiceOverride {
  readonly pattern?: Pattern;
  readonly clusterName?: string;
  readonly hostPorts?: Readonly<Record<string, number>>;
  readonly keep?: KeepPolicy;
  /**
   * The kind config to start from, relative to the project root (e.g. the repository's
   * `test/infrastructure/kind-gateway-config.yaml`), or `false` for the one-node config the setup builds.
   */
  readonly kindConfig?: string | false;
  readonly registry?: SetupOptionsData['registry'];
  readonly cluster?: SetupOptionsData['cluster'];
}

/** `kubernaut-e2e.config.ts`: the services a project sets up and how. */
export interface ProjectConfig {
  /** The kubernaut checkout, relative to the config file's directory. */
  readonly projectRoot?: string;
  readonly services: readonly Service[];
  readonly defaults?: ProjectDefaults;
  /** By service name. */
  readonly overrides?: Readonly<Record<string, ServiceOverride>>;
}

/**
 * Identity with a type, for `kubernaut-e2e.config.ts`:
 *
 * ```ts
 * import { defineConfig } from '@kubernaut-e2e/setup';
 * import { gatewayService } from '@kubernaut-e2e/gateway';
 * export default defineConfig({ projectRoot: '.', services: [gatewayService], overrides: { gateway: { pattern: 'hybrid' } } });
 * ```
 */
export function defineConfig(config: ProjectConfig): ProjectConfig {
  return config;
}
