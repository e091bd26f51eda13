import { ConfigError } from '@kubernaut-e2e/core';
import { type ComponentDeclaration, isBuiltImage, type ServiceDeclaration } from '../declaration.js';
import { assertDeclarationShape } from '../declaration-schema.js';
import { DEFAULT_ROLLOUT_TIMEOUT_MS } from '../handlers/wait-for-rollouts.js';
import { checkDeclarationGraph } from './check-declaration.js';
import { PATTERNS, type Pattern, type Plan, type PlanStep } from './types.js';
import { validatePlan } from './validate.js';

export interface PlanSetupOptions {
  /** Edge policy; `dag` when omitted. */
  readonly pattern?: Pattern;
  /**
   * How images reach the nodes. `archive` (default): a load imports into the nodes, so it waits for the cluster.
   * `registry`: a load is a push to a registry the nodes pull from, so it waits for its build only and runs while
   * the cluster is still being created (the toolchain's `ImageLoader` must push: its `delivery` is `registry`).
   */
  readonly imageDelivery?: 'archive' | 'registry';
}

/** Well-known step ids, so callers and tests need not spell them. */
export const stepIds = {
  build: (imageId: string) => `build:${imageId}`,
  cluster: 'cluster',
  crds: 'crds',
  namespace: 'namespace',
  load: (imageId: string) => `load:${imageId}`,
  deploy: (componentId: string) => `deploy:${componentId}`,
  ready: (componentId: string) => `ready:${componentId}`,
  migrate: (componentId: string) => `migrate:${componentId}`,
  manifests: (componentId: string) => `manifests:${componentId}`,
  seed: (componentId: string) => `seed:${componentId}`,
  exportLogs: 'teardown:logs',
  deleteCluster: 'teardown:cluster',
} as const;

/** The first step of a component (what its ordering edges point at). */
const entryOf = (c: ComponentDeclaration) =>
  c.kind === 'deploy' ? stepIds.deploy(c.id) : stepIds[c.kind](c.id);
/** The step after which a component counts as ready for its dependents. */
const terminalOf = (c: ComponentDeclaration) =>
  c.kind === 'deploy' ? stepIds.ready(c.id) : stepIds[c.kind](c.id);

/**
 * Turns a service declaration into a step graph. Every pattern yields the SAME steps; a pattern only
 * adds ordering edges on top of the real data dependencies:
 *
 * - `dag` (default): only data dependencies. The cluster is created while images build; each load waits
 *   for its build and the cluster only; a component waits for the namespace (and CRDs), the loads of its
 *   images and the readiness of its `dependsOn`.
 * - `standard` (the seed's old way): cluster → CRDs → namespace, then every build (each followed by its
 *   own load), then the components one after another in declaration order.
 * - `hybrid` (the seed's "Gateway Migration Template / After"): all builds, then cluster → CRDs →
 *   namespace, then the loads in parallel, then the components in parallel as their `dependsOn` allows,
 *   and the service's own component last.
 *
 * Throws `ConfigError` for malformed input and `PlanError` for graph problems, before anything runs.
 */
export function planSetup(declaration: ServiceDeclaration, options: PlanSetupOptions = {}): Plan {
  const pattern = options.pattern ?? 'dag';
  const viaRegistry = options.imageDelivery === 'registry';
  if (!PATTERNS.includes(pattern)) {
    throw ConfigError.field(
      'pattern',
      `must be one of ${PATTERNS.join(', ')}; got ${JSON.stringify(pattern)}`,
    );
  }
  assertDeclarationShape(declaration);
  checkDeclarationGraph(declaration);

  const { components } = declaration;
  const images = declaration.images.filter(isBuiltImage);
  // Every image a pod runs has a load step: built ones after their build, external ones to preload a local copy.
  const loaded = declaration.images.filter((i) => !isBuiltImage(i) || !i.buildOnly);
  const hasCrds = (declaration.crds?.length ?? 0) > 0;
  const componentsById = new Map(components.map((c) => [c.id, c]));
  const loadIds = loaded.map((i) => stepIds.load(i.id));
  const namespace = declaration.namespace.name;
  const clusterName = declaration.cluster.name;

  // Ordering edges each pattern adds, keyed by the step that must wait.
  const extra = new Map<string, string[]>();
  const addEdge = (step: string, ...deps: string[]) => extra.set(step, [...(extra.get(step) ?? []), ...deps]);
  if (pattern === 'standard') {
    if (hasCrds) addEdge(stepIds.namespace, stepIds.crds);
    for (const image of images) addEdge(stepIds.build(image.id), stepIds.namespace);
    components.forEach((component, index) => {
      const previous = components[index - 1];
      if (previous) addEdge(entryOf(component), terminalOf(previous));
      else addEdge(entryOf(component), ...loadIds);
    });
  } else if (pattern === 'hybrid') {
    addEdge(stepIds.cluster, ...images.map((i) => stepIds.build(i.id)));
    if (hasCrds) addEdge(stepIds.namespace, stepIds.crds);
    for (const load of loadIds) addEdge(load, stepIds.namespace);
    const serviceComponents = components.filter((c) => c.id === declaration.service);
    const lastDeploy = components.filter((c) => c.kind === 'deploy').at(-1);
    const finals = serviceComponents.length ? serviceComponents : lastDeploy ? [lastDeploy] : [];
    // What comes after the service's own component (e.g. the webhook registrations that need it ready)
    // still follows it: the final component waits for every other component except those.
    const after = new Set<string>(finals.map((c) => c.id));
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of components) {
        if (!after.has(c.id) && c.dependsOn.some((d) => after.has(d))) grew = after.add(c.id).size > 0;
      }
    }
    for (const component of components) {
      addEdge(entryOf(component), ...loadIds);
      if (finals.includes(component)) {
        addEdge(entryOf(component), ...components.filter((c) => !after.has(c.id)).map(terminalOf));
      }
    }
  }

  const steps: PlanStep[] = [];
  const deps = (id: string, ...data: string[]) => [...new Set([...data, ...(extra.get(id) ?? [])])];

  for (const image of images) {
    const id = stepIds.build(image.id);
    steps.push({
      id,
      kind: 'build',
      label: `build image ${image.build.imageName}`,
      deps: deps(id),
      resource: 'build',
      payload: { imageId: image.id, config: image.build },
    });
  }
  steps.push({
    id: stepIds.cluster,
    kind: 'create-cluster',
    label: `create cluster ${clusterName}`,
    deps: deps(stepIds.cluster),
    resource: 'cluster',
    payload: {
      name: clusterName,
      kubeconfigPath: declaration.cluster.kubeconfigPath,
      ...(declaration.cluster.config === undefined ? {} : { config: declaration.cluster.config }),
      ...(declaration.cluster.ifExists === undefined ? {} : { ifExists: declaration.cluster.ifExists }),
    },
  });
  if (hasCrds) {
    steps.push({
      id: stepIds.crds,
      kind: 'install-crds',
      label: `install ${declaration.crds?.length} CRD${declaration.crds?.length === 1 ? '' : 's'}`,
      deps: deps(stepIds.crds, stepIds.cluster),
      resource: 'kube',
      payload: { crds: declaration.crds ?? [] },
    });
  }
  steps.push({
    id: stepIds.namespace,
    kind: 'namespace',
    label: `create namespace ${namespace}`,
    deps: deps(stepIds.namespace, stepIds.cluster),
    resource: 'kube',
    payload: {
      name: namespace,
      ...(declaration.namespace.labels ? { labels: declaration.namespace.labels } : {}),
    },
  });
  for (const image of loaded) {
    const id = stepIds.load(image.id);
    const built = isBuiltImage(image) ? [stepIds.build(image.id)] : [];
    const external = isBuiltImage(image) ? {} : { external: image.ref };
    steps.push({
      id,
      kind: 'load',
      label: viaRegistry ? `push ${image.id} to the registry` : `load ${image.id} into ${clusterName}`,
      deps: viaRegistry ? deps(id, ...built) : deps(id, ...built, stepIds.cluster),
      resource: 'load',
      payload: viaRegistry
        ? { imageId: image.id, delivery: 'registry', clusterName, ...external }
        : { imageId: image.id, ...external },
    });
  }
  for (const component of components) {
    const readyOfDeps = component.dependsOn.map((dep) => terminalOf(componentsById.get(dep)!));
    if (component.kind !== 'deploy' && component.kind !== 'migrate') {
      const id = stepIds[component.kind](component.id);
      steps.push({
        id,
        kind: component.kind,
        label: `${component.kind === 'seed' ? 'seed' : 'apply'} ${component.id}${component.summary ? ` (${component.summary})` : ''}`,
        deps: deps(
          id,
          stepIds.namespace,
          ...(hasCrds ? [stepIds.crds] : []),
          ...(component.images ?? []).map(stepIds.load),
          ...readyOfDeps,
        ),
        resource: 'kube',
        payload: { component, namespace },
      });
      continue;
    }
    if (component.kind === 'migrate') {
      const id = stepIds.migrate(component.id);
      steps.push({
        id,
        kind: 'migrate',
        label: `apply ${component.id} via ${component.via.target}`,
        deps: deps(id, stepIds.namespace, ...readyOfDeps),
        resource: 'kube',
        payload: { component },
      });
      continue;
    }
    const deployId = stepIds.deploy(component.id);
    steps.push({
      id: deployId,
      kind: 'deploy',
      label: `apply ${component.id}`,
      deps: deps(
        deployId,
        stepIds.namespace,
        ...(hasCrds ? [stepIds.crds] : []),
        ...component.images.map(stepIds.load),
        ...readyOfDeps,
      ),
      resource: 'kube',
      payload: { component, namespace },
    });
    const readyId = stepIds.ready(component.id);
    steps.push({
      id: readyId,
      kind: 'wait-ready',
      label: `wait for ${component.id} to be ready`,
      deps: deps(readyId, deployId),
      resource: 'kube',
      payload: {
        componentId: component.id,
        namespace,
        rollout: component.rollout,
        rolloutTimeoutMs: component.rolloutTimeoutMs ?? DEFAULT_ROLLOUT_TIMEOUT_MS,
        ...(component.failAfterRestarts === undefined
          ? {}
          : { failAfterRestarts: component.failAfterRestarts }),
        ...(component.readiness ? { readiness: component.readiness } : {}),
      },
    });
  }
  steps.push(
    {
      id: stepIds.exportLogs,
      kind: 'teardown',
      label: `export logs of ${clusterName} (on failure)`,
      deps: [],
      resource: 'cluster',
      payload: { action: 'export-logs', clusterName },
    },
    {
      id: stepIds.deleteCluster,
      kind: 'teardown',
      label: `delete cluster ${clusterName} (keep policy)`,
      deps: [stepIds.exportLogs],
      resource: 'cluster',
      payload: { action: 'delete-cluster', clusterName },
    },
  );

  // A push goes the moment its build ends; batching pushes would only make the first wait for the others.
  const plan: Plan = {
    service: declaration.service,
    pattern,
    steps,
    batchLoads: pattern === 'dag' && !viaRegistry,
  };
  validatePlan(plan);
  return plan;
}
