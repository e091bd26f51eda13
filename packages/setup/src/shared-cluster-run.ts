import type { ExistingClusterProvider, ExistingClusterRunOps } from '@kubernaut-e2e/cluster';
import { ConfigError, type KubeClient, type KubeObject, type OperationContext } from '@kubernaut-e2e/core';
import type { Toolchain } from '@kubernaut-e2e/orchestrator';

/** One run on a shared cluster: its toolchain (kube wrapped), and the cleanup that removes only what it created. */
export interface SharedClusterRun {
  readonly toolchain: Toolchain;
  /** Cluster-scoped objects this run applied and owns (their name carries the run's namespace). */
  readonly ownClusterObjects: () => readonly KubeObject[];
  /** Stops the port-forwards to the run's endpoints. */
  closeForwards(): Promise<void>;
  /** Stops the forwards, then deletes the run's own cluster-scoped objects and its namespace; nothing else. */
  cleanup(ctx?: OperationContext): Promise<void>;
}

interface ServicePort {
  readonly port: number;
  readonly nodePort?: number;
}
interface RecordedService {
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  /** Service port → host port, for the ports a kind node would publish (its node port is mapped to a host port). */
  readonly forwards: readonly { readonly port: number; readonly hostPort: number }[];
}

const NEVER_DELETED_KINDS = new Set(['Namespace', 'CustomResourceDefinition']);
const WEBHOOK_KINDS = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);

interface Webhook {
  readonly namespaceSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
}

/**
 * A webhook configuration of the run's own: named after the run's namespace, and each of its webhooks asked only
 * about objects in that namespace. Why: a configuration is cluster-wide, so under its fixed name four runs would
 * overwrite each other's, and each run's webhooks would intercept (with `failurePolicy: Fail`) the other runs'
 * objects, and, once its namespace is gone, reject them.
 */
function ownWebhookConfiguration(object: KubeObject, namespace: string): KubeObject {
  const webhooks = (object.webhooks as readonly Webhook[] | undefined) ?? [];
  return {
    ...object,
    metadata: { ...object.metadata, name: `${namespace}-${object.metadata.name}` },
    webhooks: webhooks.map((webhook) => ({
      ...webhook,
      namespaceSelector: {
        ...webhook.namespaceSelector,
        matchLabels: {
          ...webhook.namespaceSelector?.matchLabels,
          'kubernetes.io/metadata.name': namespace,
        },
      },
    })),
  };
}

/**
 * `object` as a run in `namespace` of a shared cluster applies it (see {@link sharedClusterRun}): a Service without
 * node ports (`ClusterIP`), a webhook configuration of the run's own; anything else as it is.
 */
export function sharedClusterObject(object: KubeObject, namespace: string): KubeObject {
  const own =
    WEBHOOK_KINDS.has(object.kind) && !object.metadata.name.includes(namespace)
      ? ownWebhookConfiguration(object, namespace)
      : object;
  const spec = own.spec as Record<string, unknown> | undefined;
  if (own.kind !== 'Service' || own.metadata.namespace !== namespace || !spec) return own;
  const ports = (spec.ports as ServicePort[] | undefined) ?? [];
  if (spec.type !== 'NodePort' && !ports.some((p) => p.nodePort !== undefined)) return own;
  return {
    ...own,
    spec: { ...spec, type: 'ClusterIP', ports: ports.map(({ nodePort: _dropped, ...p }) => p) },
  };
}

/**
 * Adapts a service's manifests, made for a kind cluster of its own, to a namespace on a cluster many runs share:
 *
 * - Services lose their node ports (`type: ClusterIP`): node ports are cluster-wide, so four runs of one service
 *   would collide. The host ports a node port was published on are served instead by `kubectl port-forward`,
 *   opened as soon as the workload behind the Service has rolled out (before its readiness probe, which dials that
 *   host port), and closed at teardown.
 * - Webhook configurations become the run's own: named `<namespace>-<name>`, and their webhooks see only the run's
 *   namespace (`namespaceSelector`); a patch of the original name (the CA bundle) goes to the renamed one.
 * - CRDs (and anything else cluster-scoped) are applied idempotently (server-side apply) and never deleted: a CRD
 *   is shared by every run that uses it, and deleting it deletes their custom resources. Only cluster-scoped objects
 *   whose name carries the run's namespace (e.g. the `<namespace>-<account>` ClusterRoles and bindings) are the
 *   run's own, and teardown deletes those with the namespace.
 */
export function sharedClusterRun(
  toolchain: Toolchain,
  options: {
    readonly ops: ExistingClusterRunOps;
    readonly namespace: string;
    /** Node port → host port, from the setup's port mappings. */
    readonly hostPortOfNodePort: ReadonlyMap<number, number>;
  },
): SharedClusterRun {
  const { ops, namespace } = options;
  const services = new Map<string, RecordedService>();
  const workloads = new Map<string, Readonly<Record<string, string>>>();
  const own = new Map<string, KubeObject>();
  const forwards = new Map<number, Promise<{ close(): Promise<void> }>>();

  // `kind/name` a manifest uses → the run's own name for it (webhook configurations).
  const renamed = new Map<string, string>();
  const resourceName = (resource: string) => renamed.get(resource.toLowerCase()) ?? resource;
  const adapt = (given: KubeObject): KubeObject => {
    const object = sharedClusterObject(given, namespace);
    if (object.metadata.name !== given.metadata.name)
      renamed.set(
        `${given.kind}/${given.metadata.name}`.toLowerCase(),
        `${object.kind.toLowerCase()}/${object.metadata.name}`,
      );
    const ns = object.metadata.namespace;
    if (ns === undefined && !NEVER_DELETED_KINDS.has(object.kind) && object.metadata.name.includes(namespace))
      own.set(`${object.apiVersion}/${object.kind}/${object.metadata.name}`, object);
    const spec = given.spec as Record<string, unknown> | undefined;
    if (ns === namespace && spec && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind)) {
      const template = spec.template as { metadata?: { labels?: Record<string, string> } } | undefined;
      workloads.set(`${object.kind.toLowerCase()}/${object.metadata.name}`, template?.metadata?.labels ?? {});
    }
    if (given.kind === 'Service' && ns === namespace && spec) {
      // The node ports the manifest gave (the applied Service has none): which host ports to forward.
      const ports = (spec.ports as ServicePort[] | undefined) ?? [];
      services.set(object.metadata.name, {
        name: object.metadata.name,
        selector: (spec.selector as Record<string, string> | undefined) ?? {},
        forwards: ports.flatMap((p) => {
          const hostPort = p.nodePort === undefined ? undefined : options.hostPortOfNodePort.get(p.nodePort);
          return hostPort === undefined ? [] : [{ port: p.port, hostPort }];
        }),
      });
    }
    return object;
  };

  const openForwards = async (resource: string, ns: string, ctx?: OperationContext) => {
    const labels = ns === namespace ? workloads.get(resource) : undefined;
    if (labels === undefined) return;
    const opened: Promise<unknown>[] = [];
    for (const service of services.values()) {
      const entries = Object.entries(service.selector);
      if (entries.length === 0 || !entries.every(([k, v]) => labels[k] === v)) continue;
      for (const { port, hostPort } of service.forwards) {
        if (forwards.has(hostPort)) continue;
        const forward = ops.forwardPort(namespace, `service/${service.name}`, hostPort, port, ctx);
        forward.catch(() => forwards.delete(hostPort));
        forwards.set(hostPort, forward);
        opened.push(forward);
      }
    }
    await Promise.all(opened);
  };

  const wrap = (kube: KubeClient): KubeClient => ({
    ...kube,
    apply: (objects, ctx) => kube.apply(objects.map(adapt), ctx),
    patch: (resource, ns, patch, ctx, options) => kube.patch(resourceName(resource), ns, patch, ctx, options),
    async rolloutStatus(resource, ns, timeoutMs, ctx) {
      await kube.rolloutStatus(resource, ns, timeoutMs, ctx);
      await openForwards(resource, ns, ctx);
    },
  });

  const closeForwards = async () => {
    const all = [...forwards.values()];
    forwards.clear();
    await Promise.all(all.map((f) => f.then((x) => x.close()).catch(() => undefined)));
  };

  return {
    toolchain: { ...toolchain, kube: (kubeconfigPath) => wrap(toolchain.kube(kubeconfigPath)) },
    ownClusterObjects: () => [...own.values()],
    closeForwards,
    async cleanup(ctx) {
      await closeForwards();
      await ops.deleteRunObjects(namespace, [...own.values()], ctx);
    },
  };
}

/** Node port → host port from a kind config's `extraPortMappings` (the setup's own, built from the host ports). */
export function hostPortsOfNodePorts(config: unknown): Map<number, number> {
  const nodes = (
    config as { nodes?: { extraPortMappings?: { containerPort: number; hostPort: number }[] }[] }
  )?.nodes;
  const map = new Map<number, number>();
  for (const node of nodes ?? [])
    for (const m of node.extraPortMappings ?? []) map.set(m.containerPort, m.hostPort);
  return map;
}

/**
 * Before anything runs: the toolchain's cluster provider must be the existing-cluster one (a caller's toolchain
 * too), and its kubeconfig must have the context — a read (`kubectl config get-contexts`), so a wrong context is bad
 * input (exit 2) naming `cluster.existing.context`, not a failed step.
 */
export async function prepareSharedClusterRun(
  toolchain: Toolchain,
  options: { readonly namespace: string; readonly clusterConfig: unknown; readonly signal?: AbortSignal },
): Promise<SharedClusterRun> {
  const provider = toolchain.cluster as Partial<ExistingClusterProvider>;
  if (
    provider.check === undefined ||
    provider.forwardPort === undefined ||
    provider.deleteRunObjects === undefined
  )
    throw ConfigError.field(
      'cluster',
      `cluster.existing needs the existing-cluster provider, and the toolchain passed in has "${toolchain.cluster.name}": build it with createToolchain({ existingCluster, registry }) or createExistingClusterProvider`,
    );
  try {
    await provider.check(options.signal ? { signal: options.signal } : undefined);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      error.issues.map((i) => ({
        ...i,
        path: i.path === 'context' ? 'cluster.existing.context' : 'cluster.existing.kubeconfig',
      })),
      { subject: 'existing cluster', cause: error },
    );
  }
  return sharedClusterRun(toolchain, {
    ops: provider as ExistingClusterProvider,
    namespace: options.namespace,
    hostPortOfNodePort: hostPortsOfNodePorts(options.clusterConfig),
  });
}
