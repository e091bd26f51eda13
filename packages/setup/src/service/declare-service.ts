import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CommandRunner,
  ConfigError,
  type ConfigIssue,
  type ImageBuildConfig,
  isBuiltinKind,
  isClusterScoped,
  type KubeObject,
} from '@kubernaut-e2e/core';
import type { ApplyComponent, ComponentDeclaration, ImageDeclaration } from '@kubernaut-e2e/orchestrator';
import { type PortMapping, serviceClusterConfig } from './cluster-config.js';
import type { ComposedService } from './compose.js';
import { createRunContext } from './create-run-context.js';
import type { DeclareContext, DeclaredService } from './definition.js';
import { deploymentComponent } from './deployment-component.js';
import { readProjectCrds } from './project-crds.js';
import { renderFiles } from './render-content.js';
import { inlineManifests, readRepositoryManifests } from './repository-manifests.js';
import { createRunCa, issueRunCertificates } from './run-certificates.js';
import { nodePortsOf, publishedIn } from './spec/deployment.js';
import type { RunContext } from './spec/run-context.js';

/** The id of the step that applies the run's certificates, Secrets and ConfigMaps, before any deployment. */
export const CONFIG_COMPONENT = 'config';

const labels = { 'app.kubernetes.io/managed-by': 'kubernaut-e2e' };

/** The seed's `E2EImageConfig` for one image the service builds. */
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

/** A Dockerfile or build context that is not there is bad input: found now, not when the build runs. */
function checkBuildFiles(composed: ComposedService, projectRoot: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const { value: image, at } of composed.images) {
    if ('ref' in image) continue;
    const dockerfile = join(projectRoot, image.dockerfile);
    if (!existsSync(dockerfile) || !statSync(dockerfile).isFile())
      issues.push({
        path: `${at}.dockerfile`,
        message: `${image.dockerfile} is not a file in the project root ${projectRoot}`,
      });
    if (image.context !== undefined) {
      const context = join(projectRoot, image.context);
      if (!existsSync(context) || !statSync(context).isDirectory())
        issues.push({
          path: `${at}.context`,
          message: `${image.context} is not a directory in the project root ${projectRoot}`,
        });
    }
  }
  return issues;
}

function images(composed: ComposedService, context: DeclareContext): ImageDeclaration[] {
  return composed.images.map(({ value: image }) =>
    'ref' in image
      ? { id: image.id, ref: image.ref }
      : {
          id: image.id,
          build: imageBuild(image.id, image, context),
          ...(image.buildOnly ? { buildOnly: true } : {}),
        },
  );
}

/** The Secrets and ConfigMaps the run applies before its deployments, with where each was declared. */
function configObjects(composed: ComposedService, run: RunContext): KubeObject[] {
  const { namespace } = run;
  return [
    ...composed.secrets.map(({ value: s, at }) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: s.name, namespace, labels },
      type: 'Opaque',
      stringData: renderFiles(s.files, at, run),
    })),
    ...composed.configMaps.map(({ value: c, at }) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: c.name, namespace, labels },
      data: renderFiles(c.files, at, run),
    })),
  ];
}

const summary = (objects: readonly KubeObject[]) => {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`).join(', ');
};

/**
 * Every ConfigMap and Secret a pod mounts or reads must be one the run applies (or be `optional`): a missing one
 * keeps the pod in ContainerCreating until the rollout times out. Found now, at the field that names it.
 */
function checkReferences(composed: ComposedService, applied: readonly KubeObject[]): ConfigIssue[] {
  const has = (kind: string, name: string) =>
    applied.some((o) => o.kind === kind && o.metadata.name === name);
  const issues: ConfigIssue[] = [];
  const missing = (path: string, kind: string, name: string) => {
    if (!has(kind, name))
      issues.push({
        path,
        message: `no ${kind} "${name}" is applied by this service (declare it in ${kind === 'Secret' ? 'secrets or certificates' : 'configMaps'}, or a manifest), and it is not optional`,
      });
  };
  for (const { value: d, at } of composed.deployments) {
    (d.volumes ?? []).forEach((v, i) => {
      const path = `${at}.volumes[${i}].source`;
      const source = v.source;
      if ('configMap' in source && !source.optional)
        missing(`${path}.configMap`, 'ConfigMap', source.configMap);
      if ('secret' in source && !source.optional) missing(`${path}.secret`, 'Secret', source.secret);
      if ('projected' in source)
        source.projected.forEach((p, j) => {
          if ('secret' in p) missing(`${path}.projected[${j}].secret`, 'Secret', p.secret);
          else missing(`${path}.projected[${j}].configMap`, 'ConfigMap', p.configMap);
        });
    });
    for (const [name, ref] of Object.entries(d.secretEnv ?? {}))
      missing(`${at}.secretEnv.${name}.secret`, 'Secret', ref.secret);
    const hasRbac =
      d.rules !== undefined || d.clusterRules !== undefined || d.clusterRoleBindings !== undefined;
    if (d.serviceAccount !== undefined && !hasRbac && !has('ServiceAccount', d.serviceAccount))
      issues.push({
        path: `${at}.serviceAccount`,
        message: `no ServiceAccount "${d.serviceAccount}" is applied by this service (a manifest, or give the deployment rules so it is made here)`,
      });
  }
  return issues;
}

/** The kinds of the CRDs a run installs: which are cluster-scoped, and which have a status subresource. */
function crdKinds(crds: readonly KubeObject[]): {
  served: Set<string>;
  clusterScoped: Set<string>;
  status: Set<string>;
} {
  const served = new Set<string>();
  const clusterScoped = new Set<string>();
  const status = new Set<string>();
  for (const crd of crds) {
    const spec = crd.spec as
      | { names?: { kind?: string }; scope?: string; versions?: { subresources?: { status?: unknown } }[] }
      | undefined;
    const kind = spec?.names?.kind;
    if (!kind) continue;
    served.add(kind);
    if (spec?.scope === 'Cluster') clusterScoped.add(kind);
    if (spec?.versions?.some((v) => v.subresources?.status !== undefined)) status.add(kind);
  }
  return { served, clusterScoped, status };
}

/**
 * The components in declaration order, except that each comes after what it depends on: the order `standard` and
 * `hybrid` run them in (a stack's DataStorage waits for migrations declared after it). Cycles are left for the
 * planner to report.
 */
function inDependencyOrder(components: readonly ComponentDeclaration[]): ComponentDeclaration[] {
  const byId = new Map(components.map((c) => [c.id, c]));
  const ordered: ComponentDeclaration[] = [];
  const visiting = new Set<string>();
  const visit = (c: ComponentDeclaration) => {
    if (ordered.includes(c) || visiting.has(c.id)) return;
    visiting.add(c.id);
    for (const dep of c.dependsOn) {
      const d = byId.get(dep);
      if (d) visit(d);
    }
    visiting.delete(c.id);
    ordered.push(c);
  };
  for (const c of components) visit(c);
  return ordered;
}

/**
 * Declares one run of a composed service: renders its config files, Secrets and certificates, reads its CRDs and
 * repository manifests, and turns every part into a graph component. Every problem that reading the project can
 * find (a missing file, a kustomize directory that does not render, a mount of nothing, a seed of a kind no CRD
 * serves) is a `ConfigError` here, before anything runs.
 */
export async function declareService(
  composed: ComposedService,
  given: DeclareContext,
  runner: CommandRunner,
): Promise<DeclaredService> {
  const { spec } = composed;
  const context: DeclareContext = { ...given, nodePorts: { ...spec.nodePorts } };
  const ca = await createRunCa(composed.certificates);
  const run = createRunContext(composed, context, ca?.certificatePem);
  const serviceNameOf = (id: string) => {
    const d = composed.deployments.find((x) => x.value.id === id)!.value;
    return d.serviceName ?? d.id;
  };
  const subject = `service "${spec.name}"`;

  const crdSources = composed.crds.map(({ value, at }) => ({ source: value, field: at }));
  const uniqueSources = crdSources.filter((s, i) => crdSources.findIndex((o) => o.source === s.source) === i);
  const crds =
    uniqueSources.length > 0
      ? await readProjectCrds(context.projectRoot, uniqueSources, `CRDs of service "${spec.name}"`)
      : [];
  const kinds = crdKinds(crds);

  const certificates = await issueRunCertificates(composed.certificates, ca, run, serviceNameOf);
  const config = [...certificates, ...configObjects(composed, run)];
  const deployments = composed.deployments.map((d) => deploymentComponent(d, run));
  const manifests = await Promise.all(
    composed.manifests.map(async (m) => ({
      located: m,
      read:
        'objects' in m.value
          ? inlineManifests(m.value, run, kinds.clusterScoped)
          : await readRepositoryManifests(
              { value: m.value, at: m.at },
              {
                projectRoot: context.projectRoot,
                namespace: run.namespace,
                clusterScopedKinds: kinds.clusterScoped,
              },
              runner,
            ),
    })),
  );

  const issues = [
    ...checkBuildFiles(composed, context.projectRoot),
    ...checkReferences(composed, [
      ...config,
      ...deployments.flatMap((d) =>
        d.manifests(Object.fromEntries(d.images.map((id) => [id, `${id}:check`]))),
      ),
      ...manifests.flatMap((m) => m.read.objects),
    ]),
  ];
  // A seed's custom kinds must be served: by a declared CRD, or by one a manifest it depends on applies.
  const seeds: ApplyComponent[] = composed.seeds.map(({ value: s, at }) => {
    const objects = typeof s.objects === 'function' ? s.objects(run, { images: {} }) : s.objects;
    const fromManifests = new Set(
      manifests
        .filter((m) => s.dependsOn.includes(m.located.value.id))
        .flatMap((m) => [
          ...crdKinds(m.read.objects.filter((o) => o.kind === 'CustomResourceDefinition')).served,
        ]),
    );
    objects.forEach((o, i) => {
      if (!isBuiltinKind(o.kind) && !kinds.served.has(o.kind) && !fromManifests.has(o.kind))
        issues.push({
          path: `${at}.objects[${i}]`,
          message: `no CRD this service installs serves kind "${o.kind}"; add its CRD to crds (or depend on the manifest that applies it)`,
        });
    });
    return {
      id: s.id,
      kind: 'seed',
      dependsOn: [...s.dependsOn],
      objects: (values) =>
        (typeof s.objects === 'function' ? s.objects(run, values) : s.objects).map((o) =>
          isClusterScoped(o.kind) || kinds.clusterScoped.has(o.kind)
            ? o
            : { ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? run.namespace } },
        ),
      summary: summary(objects),
      statusKinds: [
        ...new Set(
          objects.filter((o) => o.status !== undefined && kinds.status.has(o.kind)).map((o) => o.kind),
        ),
      ],
    };
  });
  if (issues.length > 0) throw new ConfigError(issues, { subject });

  const configComponent: ApplyComponent[] =
    config.length > 0
      ? [
          {
            id: CONFIG_COMPONENT,
            kind: 'manifests',
            dependsOn: [],
            objects: () => config,
            summary: summary(config),
          },
        ]
      : [];
  const components: ComponentDeclaration[] = [
    ...configComponent,
    ...deployments.map((d) =>
      config.length > 0 ? { ...d, dependsOn: [CONFIG_COMPONENT, ...d.dependsOn] } : d,
    ),
    ...composed.migrations.map(({ value: m }) => ({
      id: m.id,
      kind: 'migrate' as const,
      dependsOn: [m.via, ...(m.dependsOn ?? [])],
      directory: join(context.projectRoot, m.directory),
      database: m.database,
      via: {
        namespace: run.namespace,
        target: `service/${serviceNameOf(m.via)}`,
        remotePort: m.port ?? 5432,
      },
    })),
    ...manifests.map(({ located: { value: m }, read }) => ({
      id: m.id,
      kind: 'manifests' as const,
      dependsOn: [...(m.dependsOn ?? [])],
      images: 'images' in m ? [...new Set(Object.values(m.images ?? {}))] : [],
      objects: read.render,
      summary: summary(read.objects),
    })),
    ...seeds,
  ];

  const published = composed.deployments.flatMap(({ value: d }) => {
    const nodePorts = nodePortsOf(d, context.hostPorts, run.nodePorts);
    return publishedIn(d, context.hostPorts).map((p) => ({ publish: p, nodePort: nodePorts[p.port]! }));
  });
  const ordered = inDependencyOrder(components);
  const portMappings: PortMapping[] = [
    ...published.map(({ publish, nodePort }) => ({
      containerPort: nodePort,
      hostPort: context.hostPorts[publish.hostPort]!,
    })),
    // A nodePorts entry for a host port no deployment publishes maps it too (a manifest's NodePort Service).
    ...Object.entries(spec.nodePorts ?? {})
      .filter(([name]) => !published.some(({ publish }) => publish.hostPort === name))
      .map(([name, nodePort]) => ({ containerPort: nodePort, hostPort: context.hostPorts[name]! })),
  ];
  const cluster = await serviceClusterConfig(spec, context, portMappings);
  const endpoints = Object.assign(
    Object.fromEntries(
      published
        .filter(({ publish: p }) => p.endpoint !== false)
        .map(({ publish: p }) => [p.endpoint ?? `${p.hostPort}Url`, run.hostUrl(p.hostPort)]),
    ),
    ...composed.endpoints.map(({ value }) => value(run)),
  );
  return {
    declaration: {
      service: spec.name,
      images: images(composed, context),
      cluster: { name: context.clusterName, kubeconfigPath: context.kubeconfigPath, config: cluster.config },
      ...(crds.length > 0 ? { crds } : {}),
      namespace: { name: context.namespace },
      components: ordered,
    },
    endpoints,
    notes: cluster.notes,
    ...(cluster.coverageDir ? { coverageDir: cluster.coverageDir } : {}),
    ...(ca ? { ca: { pem: ca.certificatePem, file: run.ca.file } } : {}),
  };
}
