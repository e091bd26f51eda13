import {
  type ClusterProvider,
  type CommandRunner,
  ConfigError,
  type KubeClientFactory,
  parseRegistryAddress,
} from '@kubernaut-e2e/core';
import type { Toolchain } from '@kubernaut-e2e/orchestrator';

/** The registry option, resolved: where images are pushed and how nodes reach it. */
export interface ResolvedRegistry {
  /** `localhost:<port>`: what pod specs' images start with. */
  readonly address: string;
  /** True for `'local'`: the setup runs kind's `kind-registry` container itself (and keeps it across runs). */
  readonly local: boolean;
  /** Where the nodes reach the registry (their `hosts.toml`). */
  readonly endpoint: string;
}

const KIND_REGISTRY_PORT = 5001;
const KIND_REGISTRY_ENDPOINT = 'http://kind-registry:5000';

export function resolveRegistry(
  option: 'local' | { readonly url: string; readonly endpoint?: string | undefined } | undefined,
): ResolvedRegistry | undefined {
  if (option === undefined) return undefined;
  if (option === 'local')
    return { address: `localhost:${KIND_REGISTRY_PORT}`, local: true, endpoint: KIND_REGISTRY_ENDPOINT };
  const address = parseRegistryAddress(option.url, 'registry.url');
  return { address: address.text, local: false, endpoint: option.endpoint ?? KIND_REGISTRY_ENDPOINT };
}

/** A runtime that cannot push (a caller's toolchain whose loader imports archives) refuses registry mode up front. */
export function assertToolchainPushes(toolchain: Toolchain, registry: ResolvedRegistry | undefined): void {
  if (registry !== undefined && toolchain.imageLoader.delivery !== 'registry') {
    throw ConfigError.field(
      'registry',
      `registry mode (${registry.address}) needs a toolchain whose image loader pushes to a registry; the toolchain passed in loads archives into the nodes. Drop \`registry\`, or build the toolchain with a registry loader (createRegistryImageLoader, or createSimToolchain({ registry }))`,
    );
  }
}

/** The kind config with the `containerdConfigPatches` entry that makes nodes read per-registry `hosts.toml`. */
export function withRegistryConfigPatch(config: unknown, patch: string): unknown {
  if (config === undefined || config === null || typeof config !== 'object') return config;
  const typed = config as { containerdConfigPatches?: readonly string[] };
  const patches = typed.containerdConfigPatches ?? [];
  return patches.includes(patch) ? config : { ...typed, containerdConfigPatches: [...patches, patch] };
}

/**
 * The kind provider, plus what registry mode needs once the cluster exists: the registry joins the `kind`
 * network (kind's own container only), every node gets the `hosts.toml` for the registry, and the
 * `local-registry-hosting` ConfigMap tells tools where to push.
 */
export function withRegistryNodes(
  provider: ClusterProvider,
  options: {
    readonly runner: CommandRunner;
    readonly engine: 'podman' | 'docker';
    readonly registry: ResolvedRegistry;
    readonly kube: KubeClientFactory;
    readonly kindBinary?: string;
  },
): ClusterProvider {
  return {
    ...provider,
    name: provider.name,
    async create(request, ctx) {
      const info = await provider.create(request, ctx);
      const { connectLocalRegistry, localRegistryHostingConfigMap } = await import('@kubernaut-e2e/cluster');
      const address = parseRegistryAddress(options.registry.address);
      const nodes = (
        await options.runner.run(options.kindBinary ?? 'kind', ['get', 'nodes', '--name', request.name], {
          env: { KIND_EXPERIMENTAL_PROVIDER: options.engine },
        })
      ).stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      await connectLocalRegistry(
        {
          runner: options.runner,
          engine: options.engine,
          nodes,
          address,
          endpoint: options.registry.endpoint,
          connectNetwork: options.registry.local,
        },
        ctx,
      );
      await options.kube(info.kubeconfigPath).apply([localRegistryHostingConfigMap(address)], ctx);
      return info;
    },
  };
}
