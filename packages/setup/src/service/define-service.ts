import { ConfigError, configIssues, type ImageBuildConfig } from '@kubernaut-e2e/core';
import { serviceManifests } from '@kubernaut-e2e/deployers';
import type { ComponentDeclaration, DeployComponent, ImageDeclaration } from '@kubernaut-e2e/orchestrator';
import { checkServiceSpec } from './check-service-spec.js';
import { serviceClusterConfig } from './cluster-config.js';
import type { DeclareContext, DeclaredService, ServiceDefinition } from './definition.js';
import { type DeclaredCrdSource, readProjectCrds } from './project-crds.js';
import {
  type DeploymentSpec,
  type PolicyRule,
  publishedPorts,
  type ServiceSpec,
  serviceSpecSchema,
} from './service-spec.js';
import { flattenStacks, type PortMapping, type StackParts } from './stack.js';

/** How long a rollout or readiness probe may take before its step fails with what was still not ready. */
export const DEFAULT_READY_TIMEOUT_MS = 180_000;

/**
 * Declares a service's E2E setup as data and fills in the repetition: the kind cluster block (one control-plane
 * node publishing the host ports, or the repository's own `kindConfig` with them merged in), the namespace, image
 * consumer tags and coverage, default timeouts, and the stacks it `uses` (each once, before it). The spec is
 * checked when it is defined: a bad field is a `ConfigError` naming it, before anything runs; files (CRDs, the
 * kind config) are checked when the setup is resolved, before anything runs too.
 *
 * ```ts
 * export const ordersService = defineService({
 *   name: 'orders',
 *   uses: [dataStorageStack],
 *   hostPorts: { orders: 19080, datastorage: 19081, postgresql: 19432 },
 *   images: { orders: { dockerfile: 'docker/orders.Dockerfile' } },
 *   crds: ['config/crd/bases/kubernaut.ai_orders.yaml'],
 *   deployments: [{ id: 'orders', image: 'orders', dependsOn: ['datastorage'],
 *     ports: [{ name: 'http', port: 8080 }], publish: { port: 'http', hostPort: 'orders', nodePort: 30100 },
 *     readyPath: '/readyz' }],
 * });
 * ```
 */
export function defineService(spec: ServiceSpec): ServiceDefinition {
  const subject = `service "${typeof spec?.name === 'string' ? spec.name : '?'}" (defineService)`;
  const parsed = serviceSpecSchema.safeParse(spec);
  if (!parsed.success) throw new ConfigError(configIssues(parsed.error), { subject });
  const issues = checkServiceSpec(spec);
  if (issues.length > 0) throw new ConfigError(issues, { subject });
  return {
    service: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.pattern ? { pattern: spec.pattern } : {}),
    ...(spec.namespace ? { namespace: spec.namespace } : {}),
    defaultHostPorts: { ...spec.hostPorts },
    declare: (context) => declareService(spec, context),
  };
}

async function declareService(spec: ServiceSpec, given: DeclareContext): Promise<DeclaredService> {
  // Stacks publish their host ports from their own node ports unless the service moved them (`nodePorts`).
  const context: DeclareContext = { ...given, nodePorts: { ...spec.nodePorts } };
  const parts: StackParts[] = [];
  const crdSources: DeclaredCrdSource[] = (spec.crds ?? []).map((source, i) => ({
    source,
    field: `crds[${i}]`,
  }));
  for (const stack of flattenStacks(spec.uses ?? [])) {
    const stackParts = await stack.declare(context);
    parts.push(stackParts);
    (stackParts.crds ?? []).forEach((source, i) => {
      crdSources.push({ source, field: `${stack.name} stack crds[${i}]` });
    });
  }
  parts.push(await ownParts(spec, context));

  const images = parts.flatMap((p) => p.images ?? []);
  const components = parts.flatMap((p) => p.components ?? []);
  assertImagesUsed(spec.name, images, components);
  const portMappings = parts.flatMap((p) => p.portMappings ?? []);
  const cluster = await serviceClusterConfig(spec, context, portMappings);
  const uniqueSources = crdSources.filter((s, i) => crdSources.findIndex((o) => o.source === s.source) === i);
  return {
    declaration: {
      service: spec.name,
      images,
      cluster: { name: context.clusterName, kubeconfigPath: context.kubeconfigPath, config: cluster.config },
      ...(uniqueSources.length > 0
        ? {
            crds: await readProjectCrds(context.projectRoot, uniqueSources, `CRDs of service "${spec.name}"`),
          }
        : {}),
      namespace: { name: context.namespace },
      components,
    },
    endpoints: Object.assign({}, ...parts.map((p) => p.endpoints ?? {})),
    notes: cluster.notes,
    ...(cluster.coverageDir ? { coverageDir: cluster.coverageDir } : {}),
  };
}

async function ownParts(spec: ServiceSpec, context: DeclareContext): Promise<StackParts> {
  const images: ImageDeclaration[] = Object.entries(spec.images ?? {}).map(([id, image]) => ({
    id,
    build: imageBuild(id, image, context),
  }));
  const written = spec.components ? await spec.components(context) : [];
  const deployments = (spec.deployments ?? []).map((d) => deploymentComponent(d, context));
  // A nodePorts entry for a stack's host port only moves that stack's node port; the stack maps it.
  const stackHostPorts = new Set(flattenStacks(spec.uses ?? []).flatMap((s) => s.hostPorts));
  const portMappings: PortMapping[] = [
    ...Object.entries(spec.nodePorts ?? {})
      .filter(([name]) => !stackHostPorts.has(name))
      .map(([name, nodePort]) => ({ containerPort: nodePort, hostPort: context.hostPorts[name]! })),
    ...(spec.deployments ?? []).flatMap((d) =>
      publishedPorts(d).map((p) => ({ containerPort: p.nodePort, hostPort: context.hostPorts[p.hostPort]! })),
    ),
  ];
  const published = Object.fromEntries(
    (spec.deployments ?? []).flatMap((d) =>
      publishedPorts(d).map((p, i) => [
        i === 0 ? `${d.id}Url` : `${d.id}${capitalize(p.port)}Url`,
        `http://localhost:${context.hostPorts[p.hostPort]}`,
      ]),
    ),
  );
  return {
    images,
    components: [...written, ...deployments],
    portMappings,
    endpoints: { ...published, ...(spec.endpoints?.(context) ?? {}) },
  };
}

/** The seed's `E2EImageConfig` for one image of the service. */
export function imageBuild(
  id: string,
  image: {
    dockerfile: string;
    imageName?: string;
    context?: string;
    buildArgs?: Readonly<Record<string, string>>;
  },
  context: DeclareContext,
): ImageBuildConfig {
  return {
    serviceName: id,
    imageName: image.imageName ?? `kubernaut/${id}`,
    dockerfilePath: image.dockerfile,
    ...(image.context ? { buildContextPath: image.context } : {}),
    ...(image.buildArgs ? { buildArgs: image.buildArgs } : {}),
    consumer: context.consumer,
    enableCoverage: context.coverage,
  };
}

function deploymentComponent(d: DeploymentSpec, context: DeclareContext): DeployComponent {
  const { namespace } = context;
  const publish = publishedPorts(d);
  // The first published port is the deployment's endpoint: readiness is probed there, in the pod and from the host.
  const hostPort = publish[0] ? context.hostPorts[publish[0].hostPort] : undefined;
  const readyPort = publish[0]?.port ?? d.ports[0]!.name;
  return {
    id: d.id,
    kind: 'deploy',
    images: [d.image],
    dependsOn: [...(d.dependsOn ?? [])],
    manifests: (refs) =>
      serviceManifests({
        name: d.id,
        namespace,
        image: refs[d.image]!,
        ports: d.ports.map((p) => ({ ...p })),
        ...(publish.length > 0
          ? { nodePorts: Object.fromEntries(publish.map((p) => [p.port, p.nodePort])) }
          : {}),
        env: { POD_NAMESPACE: namespace, ...(typeof d.env === 'function' ? d.env(context) : d.env) },
        ...(d.readyPath
          ? { probes: { readiness: { type: 'http', path: d.readyPath, port: readyPort, periodSeconds: 2 } } }
          : {}),
        ...(d.clusterRules
          ? { serviceAccount: { name: d.id, clusterRules: d.clusterRules.map(mutableRule) } }
          : {}),
        coverage: context.coverage,
      }),
    rollout: [`deployment/${d.id}`],
    rolloutTimeoutMs: DEFAULT_READY_TIMEOUT_MS,
    ...(d.readyPath && hostPort !== undefined
      ? {
          readiness: {
            probe: { kind: 'http' as const, url: `http://localhost:${hostPort}${d.readyPath}` },
            options: { timeoutMs: DEFAULT_READY_TIMEOUT_MS, intervalMs: 1000, attemptTimeoutMs: 3000 },
          },
        }
      : {}),
  };
}

/** An image no component runs is a mistake in the declaration (it would be built and loaded for nothing). */
function assertImagesUsed(
  service: string,
  images: readonly ImageDeclaration[],
  components: readonly ComponentDeclaration[],
): void {
  const used = new Set(components.flatMap((c) => (c.kind === 'deploy' ? c.images : [])));
  const unused = images.filter((i) => !used.has(i.id));
  if (unused.length > 0) {
    throw new ConfigError(
      unused.map((i) => ({ path: `images.${i.id}`, message: `no component runs image "${i.id}"` })),
      { subject: `service "${service}"` },
    );
  }
}

function mutableRule(rule: PolicyRule): { apiGroups: string[]; resources: string[]; verbs: string[] } {
  return { apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
