import { coverageMount, type KindClusterConfigInput, kubeadmApiServerPatch } from '@kubernaut-e2e/cluster';
import type { DeclareContext } from './definition.js';
import { repositoryKindConfig } from './repository-kind-config.js';

/** A kind `extraPortMappings` entry: the node port inside the cluster, published on a host port. */
export interface PortMapping {
  readonly containerPort: number;
  readonly hostPort: number;
}

/**
 * One control-plane node publishing the service's host ports. The API server's in-flight limits are raised as
 * the seed system does: parallel deploys plus test traffic otherwise hit 429s on a single node.
 */
export function kindConfigFor(
  context: DeclareContext,
  portMappings: readonly PortMapping[],
): KindClusterConfigInput {
  return {
    nodes: [
      {
        role: 'control-plane',
        extraPortMappings: portMappings.map((m) => ({ ...m, protocol: 'TCP' as const })),
        ...(context.coverage && context.coverageDir
          ? { extraMounts: [coverageMount(context.coverageDir)] }
          : {}),
      },
    ],
    kubeadmConfigPatches: [
      kubeadmApiServerPatch({ maxRequestsInflight: 800, maxMutatingRequestsInflight: 400 }),
    ],
  };
}

/** A service's kind cluster config and what `plan` says about where it came from. */
export interface ServiceClusterConfig {
  readonly config: KindClusterConfigInput;
  readonly notes: readonly string[];
  /** The host directory mounted at `/coverdata` when a repository's kind config chose it. */
  readonly coverageDir?: string;
}

/**
 * The kind config of one service: the repository's own file when the caller's options or the service name one
 * (`kindConfig`), with the setup's port mappings and coverage mount merged in; otherwise the one the setup builds.
 */
export async function serviceClusterConfig(
  service: { readonly name: string; readonly kindConfig?: string },
  context: DeclareContext,
  portMappings: readonly PortMapping[],
): Promise<ServiceClusterConfig> {
  const fromOptions = context.kindConfig !== undefined;
  const chosen = fromOptions ? context.kindConfig : service.kindConfig;
  if (chosen === undefined || chosen === false) {
    return {
      config: kindConfigFor(context, portMappings),
      notes: [
        `kind config: built by the setup${fromOptions ? ' (setup option kindConfig: false)' : ''}, one control-plane node publishing ${portMappings.length} host port(s)`,
      ],
    };
  }
  return repositoryKindConfig({
    service: service.name,
    path: chosen,
    field: fromOptions
      ? `kindConfig option of ${service.name} (overrides.${service.name}.kindConfig in the project config, or the caller's)`
      : `kindConfig of service "${service.name}"`,
    context,
    portMappings: portMappings.map((m) => ({ ...m, source: `setup ${hostPortField(context, m.hostPort)}` })),
  });
}

/** `hostPorts.<name>` of a published host port (names are unique per service), for messages. */
function hostPortField(context: DeclareContext, port: number): string {
  const name = Object.entries(context.hostPorts).find(([, p]) => p === port)?.[0];
  return name === undefined ? `host port ${port}` : `hostPorts.${name}`;
}
