import type {
  JsonPatchOperation,
  KubeClient,
  KubeLogOptions,
  KubeObject,
  KubeReadOptions,
  OperationContext,
  PortForward,
  ResourceRef,
} from '@kubernaut-e2e/core';
import { NotReadyError } from '@kubernaut-e2e/core';
import { applyJsonPatch } from '@kubernaut-e2e/core/json-patch';
import { nextDeploymentState, recheckBlocked } from '../world/deployment-state.js';
import {
  apiGroup,
  type DeploymentShape,
  deploymentSchema,
  isBuiltinKind,
  isClusterScoped,
  isRbacOrTls,
  labelsMatch,
  objectKey,
  serviceSchema,
  splitResourceRef,
} from '../world/kube-objects.js';
import { describePod, nodeObject, podsOf, replicaSetEvents, type SimPod } from '../world/pod-view.js';
import { selectedDeployments } from '../world/routing.js';
import {
  describeDeployment,
  isDeploymentReady,
  type SimCluster,
  type SimDeployment,
} from '../world/sim-cluster.js';
import type { SimCommand, SimWorld } from '../world/sim-world.js';
import { toolError } from '../world/tool-error.js';

/** Kinds whose apply can unblock a rollout that references them. */
const REFERENCED_KINDS = new Set(['ServiceAccount', 'ConfigMap', 'Secret']);
type Json = Record<string, unknown>;
/** How often a wait re-checks a rollout that cannot complete yet (a re-apply or a load may unblock it). */
const BLOCKED_POLL_MS = 1_000;
/** How long the pods of a Deployment scaled to 0 take to exit (SIGTERM, flush, exit). */
const POD_TERMINATION_MS = 2_000;

function command(argv: readonly string[]): SimCommand {
  return {
    argv,
    failure: ['error: the server has asked for the client to provide credentials'],
    transientFailure: ['Unable to connect to the server: net/http: TLS handshake timeout'],
  };
}

/**
 * `KubeClient` against a simulated cluster, bound to the kubeconfig path the cluster was created with
 * (the file is never read). It enforces what the API server and kubelet would: objects go into existing
 * namespaces, custom kinds need their CRD, a Deployment whose image is not on the nodes never becomes
 * ready, nor one whose pods reference a ServiceAccount, ConfigMap or Secret (or key) that does not exist
 * until it is applied, nor one whose probe names a port its container does not declare; NodePorts must
 * be in range and unique, exec and port-forward need a running pod.
 */
export class SimKubeClient implements KubeClient {
  constructor(
    private readonly world: SimWorld,
    readonly kubeconfigPath: string,
  ) {}

  #kubectl(...args: string[]): string[] {
    return ['kubectl', '--kubeconfig', this.kubeconfigPath, ...args];
  }

  #cluster(argv: readonly string[]): SimCluster {
    const name = this.world.kubeconfigs.get(this.kubeconfigPath);
    const cluster = name === undefined ? undefined : this.world.clusters.get(name);
    if (!cluster) {
      throw toolError(
        argv,
        ['The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?'],
        `no simulated cluster uses kubeconfig ${this.kubeconfigPath}: it was never created or has been deleted`,
      );
    }
    return cluster;
  }

  async apply(objects: readonly KubeObject[], ctx?: OperationContext): Promise<void> {
    const argv = this.#kubectl('apply', '--server-side', '--field-manager=kubernaut-e2e', '-f', '-');
    const subjects = objects.flatMap((o) => [
      `${o.kind?.toLowerCase()}/${o.metadata?.name}`,
      String(o.metadata?.name),
    ]);
    await this.world.operate('apply', subjects, command(argv), ctx, async () => {
      this.#validate(this.#cluster(argv), objects, argv);
      const { kube } = this.world.profile;
      const cost =
        (objects.some((o) => o.kind === 'CustomResourceDefinition') ? kube.crdsMs : 0) +
        (objects.some((o) => o.kind === 'Namespace') ? kube.namespaceMs : 0) +
        (objects.some(isRbacOrTls) ? kube.rbacTlsMs : 0);
      await this.world.sleep(cost, ctx);
      const cluster = this.#cluster(argv); // it may have been deleted meanwhile
      for (const object of objects)
        this.#store(cluster, this.#withoutStatusWrites(cluster, structuredClone(object)));
    });
  }

  /** Rejects the whole apply (before anything is stored) the way the API server would. */
  #validate(cluster: SimCluster, objects: readonly KubeObject[], argv: readonly string[]): void {
    const newNamespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    const nodePorts = new Map<number, string>();
    for (const service of cluster.objectsOfKind('service')) {
      const key = objectKey('service', service.metadata.namespace, service.metadata.name);
      for (const p of serviceSchema.safeParse(service).data?.spec.ports ?? [])
        if (p.nodePort) nodePorts.set(p.nodePort, key);
    }
    for (const object of objects) {
      if (
        typeof object?.apiVersion !== 'string' ||
        typeof object.kind !== 'string' ||
        typeof object.metadata?.name !== 'string' ||
        !object.metadata.name
      ) {
        throw toolError(argv, [
          'error: error validating "STDIN": error validating data: every object needs apiVersion, kind and metadata.name',
        ]);
      }
      const { kind, metadata } = object;
      const namespace = isClusterScoped(kind) ? undefined : (metadata.namespace ?? 'default');
      if (!isBuiltinKind(kind)) {
        const group = apiGroup(object.apiVersion);
        const crd = cluster.objectsOfKind('customresourcedefinition').find((c) => {
          const spec = c.spec as { group?: string; names?: { kind?: string } } | undefined;
          return spec?.group === group && spec.names?.kind === kind;
        });
        if (!crd) {
          throw toolError(argv, [
            `error: resource mapping not found for name: "${metadata.name}" namespace: "${namespace ?? ''}" from "STDIN": no matches for kind "${kind}" in version "${object.apiVersion}"`,
            'ensure CRDs are installed first',
          ]);
        }
      }
      if (
        namespace !== undefined &&
        namespace !== 'default' &&
        !newNamespaces.has(namespace) &&
        !cluster.objects.has(objectKey('namespace', undefined, namespace))
      ) {
        throw toolError(
          argv,
          [`Error from server (NotFound): error when creating "STDIN": namespaces "${namespace}" not found`],
          'apply the Namespace first',
        );
      }
      if (kind === 'Deployment') {
        const parsed = deploymentSchema.safeParse(object);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw toolError(argv, [
            `The Deployment "${metadata.name}" is invalid: ${issue.path.join('.')}: ${issue.message}`,
          ]);
        }
        const selector = parsed.data.spec.selector.matchLabels ?? {};
        if (!labelsMatch(selector, parsed.data.spec.template.metadata?.labels ?? {})) {
          throw toolError(argv, [
            `The Deployment "${metadata.name}" is invalid: spec.template.metadata.labels: Invalid value: ${JSON.stringify(parsed.data.spec.template.metadata?.labels ?? {})}: \`selector\` does not match template \`labels\``,
          ]);
        }
      }
      if (kind === 'Service') {
        const parsed = serviceSchema.safeParse(object);
        if (!parsed.success)
          throw toolError(argv, [
            `The Service "${metadata.name}" is invalid: ${parsed.error.issues[0]!.message}`,
          ]);
        const key = objectKey('service', namespace, metadata.name);
        for (const [i, p] of (parsed.data.spec.ports ?? []).entries()) {
          if (p.nodePort === undefined) continue;
          const type = parsed.data.spec.type ?? 'ClusterIP';
          const invalid = (detail: string) =>
            toolError(argv, [
              `The Service "${metadata.name}" is invalid: spec.ports[${i}].nodePort: ${detail}`,
            ]);
          if (type !== 'NodePort' && type !== 'LoadBalancer')
            throw invalid(`Forbidden: may not be used when \`type\` is '${type}'`);
          if (p.nodePort < 30000 || p.nodePort > 32767) {
            throw invalid(
              `Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is 30000-32767`,
            );
          }
          const owner = nodePorts.get(p.nodePort);
          if (owner !== undefined && owner !== key)
            throw invalid(`Invalid value: ${p.nodePort}: provided port is already allocated`);
          nodePorts.set(p.nodePort, key);
        }
      }
    }
  }

  /** True when the object's kind is served by a CRD version that has the status subresource. */
  #hasStatusSubresource(cluster: SimCluster, object: KubeObject): boolean {
    if (isBuiltinKind(object.kind)) return false;
    const [group, version] = object.apiVersion.includes('/')
      ? object.apiVersion.split('/')
      : ['', object.apiVersion];
    const crd = cluster.objectsOfKind('customresourcedefinition').find((c) => {
      const spec = c.spec as { group?: string; names?: { kind?: string } } | undefined;
      return spec?.group === group && spec?.names?.kind === object.kind;
    });
    const versions = (
      crd?.spec as { versions?: { name?: string; subresources?: { status?: unknown } }[] } | undefined
    )?.versions;
    return versions?.some((v) => v.name === version && v.subresources?.status !== undefined) ?? false;
  }

  /** An apply to a kind with a status subresource keeps the stored status: the API server ignores a written one. */
  #withoutStatusWrites(cluster: SimCluster, object: KubeObject): KubeObject {
    if (!this.#hasStatusSubresource(cluster, object)) return object;
    const namespace = object.metadata.namespace ?? 'default';
    const stored = cluster.objects.get(objectKey(object.kind, namespace, object.metadata.name));
    const { status: _ignored, ...rest } = object;
    return stored?.status === undefined ? (rest as KubeObject) : { ...rest, status: stored.status };
  }

  #store(cluster: SimCluster, object: KubeObject): void {
    const namespace = isClusterScoped(object.kind) ? undefined : (object.metadata.namespace ?? 'default');
    const objectId = objectKey(object.kind, namespace, object.metadata.name);
    const before = cluster.objects.get(objectId);
    cluster.objects.set(objectId, object);
    if (object.kind === 'Deployment' && namespace !== undefined) {
      const shape = deploymentSchema.parse(object);
      const key = `${namespace}/${object.metadata.name}`;
      const previous = cluster.deployments.get(key);
      const next = nextDeploymentState(
        cluster,
        namespace,
        object.metadata.name,
        shape,
        previous,
        this.world.profile,
        this.world.now(),
      );
      cluster.deployments.set(key, next === previous ? next : this.#rollout(next, shape, before, previous));
    }
    if (namespace !== undefined && REFERENCED_KINDS.has(object.kind))
      this.#recheckBlocked(cluster, namespace);
  }

  /**
   * The controllers and the kubelet retry what a missing object stopped: after a ServiceAccount,
   * ConfigMap or Secret is applied, every blocked rollout in its namespace is checked again, and one
   * that can now go on completes the profile's ready time later (its pods are the same ones, except
   * that pods the API server refused are created now).
   */
  #recheckBlocked(cluster: SimCluster, namespace: string): void {
    for (const [key, blocked] of cluster.deployments) {
      if (blocked.namespace !== namespace) continue;
      const object = cluster.objects.get(objectKey('deployment', namespace, blocked.name));
      const shape = object && deploymentSchema.safeParse(object).data;
      const next = shape && recheckBlocked(cluster, blocked, shape, this.world.profile, this.world.now());
      if (shape && next)
        cluster.deployments.set(
          key,
          next.readyAt === undefined ? next : this.#withContainerFault(next, shape),
        );
    }
  }

  /**
   * A new rollout, plus what the pods do that image checks cannot tell: a container fault from the fault
   * plan (crash loop or never ready), and the old pods terminating after a scale to 0 (Go binaries write
   * their coverage counters on the way out, so waiting for them matters).
   */
  #rollout(
    next: SimDeployment,
    shape: DeploymentShape,
    before: KubeObject | undefined,
    previous: SimDeployment | undefined,
  ): SimDeployment {
    const replicas = shape.spec.replicas ?? 1;
    if (replicas === 0) {
      const had = before === undefined ? 0 : (deploymentSchema.safeParse(before).data?.spec.replicas ?? 1);
      const running = previous !== undefined && had > 0;
      return running
        ? { ...next, terminatingUntil: this.world.now() + POD_TERMINATION_MS, previousReplicas: had }
        : next;
    }
    return next.readyAt === undefined ? next : this.#withContainerFault(next, shape);
  }

  /** A rollout whose pods start, with the fault plan's container fault if one is due. */
  #withContainerFault(next: SimDeployment, shape: DeploymentShape): SimDeployment {
    const containers = shape.spec.template.spec.containers.map((c) => c.name ?? next.name);
    const fault = this.world.faults.next('container', [next.name, `deployment/${next.name}`, ...containers]);
    if (!fault) return next;
    const message = fault.rule.message;
    return fault.kind === 'hang'
      ? {
          ...next,
          readyAt: undefined,
          blockedReason: `Readiness probe failed: ${message ?? 'HTTP probe failed with statuscode: 503'}`,
          fault: { kind: 'unready', ...(message ? { message } : {}) },
        }
      : {
          ...next,
          readyAt: undefined,
          blockedReason: `CrashLoopBackOff: back-off restarting failed container ${containers[0]}${message ? `: ${message}` : ''}`,
          fault: { kind: 'crash', ...(message ? { message } : {}) },
        };
  }

  async rolloutStatus(
    resource: ResourceRef,
    namespace: string,
    timeoutMs: number,
    ctx?: OperationContext,
  ): Promise<void> {
    const argv = this.#kubectl(
      'rollout',
      'status',
      resource,
      '-n',
      namespace,
      `--timeout=${Math.ceil(timeoutMs / 1000)}s`,
    );
    const ref = splitResourceRef(resource);
    await this.world.operate(
      'rollout',
      [ref?.name ?? resource, resource, `deployment/${ref?.name}`],
      command(argv),
      ctx,
      async () => {
        if (ref?.kind !== 'deployment') {
          throw toolError(argv, [
            `error: the simulator models the rollout of Deployments only, not "${resource}"`,
          ]);
        }
        await this.#waitForDeployment(namespace, ref.name, timeoutMs, argv, ctx);
      },
    );
  }

  /** Resolves when the Deployment is ready; `NotReadyError` with what the rollout looked like at the deadline. */
  async #waitForDeployment(
    namespace: string,
    name: string,
    timeoutMs: number,
    argv: readonly string[],
    ctx?: OperationContext,
  ): Promise<void> {
    const deadline = this.world.now() + timeoutMs;
    for (;;) {
      const now = this.world.now();
      const deployment = this.#cluster(argv).deployment(namespace, name);
      if (!deployment)
        throw toolError(
          argv,
          [`Error from server (NotFound): deployments.apps "${name}" not found`],
          'apply the Deployment first',
        );
      if (isDeploymentReady(deployment, now)) return;
      if (now >= deadline) {
        throw new NotReadyError(
          `deployment/${name} in namespace ${namespace}`,
          `${describeDeployment(deployment, now)}; error: timed out waiting for the condition after ${timeoutMs} ms`,
        );
      }
      const wake = deployment.readyAt ?? now + BLOCKED_POLL_MS;
      await this.world.sleep(Math.min(wake, deadline) - now, ctx);
    }
  }

  async waitFor(
    resource: ResourceRef,
    condition: string,
    namespace: string | undefined,
    timeoutMs: number,
    ctx?: OperationContext,
  ): Promise<void> {
    const argv = this.#kubectl(
      'wait',
      `--for=${condition}`,
      resource,
      ...(namespace ? ['-n', namespace] : []),
      `--timeout=${Math.ceil(timeoutMs / 1000)}s`,
    );
    const ref = splitResourceRef(resource);
    await this.world.operate('wait', [resource, ref?.name ?? resource], command(argv), ctx, async () => {
      if (!ref)
        throw toolError(argv, [
          `error: arguments in resource/name form must have a single resource and name: "${resource}"`,
        ]);
      const cluster = this.#cluster(argv);
      const wanted = condition.replace(/^condition=/i, '').toLowerCase();
      if (ref.kind === 'deployment' && (wanted === 'available' || wanted === 'progressing')) {
        await this.#waitForDeployment(namespace ?? 'default', ref.name, timeoutMs, argv, ctx);
        return;
      }
      const scopedNamespace = isClusterScoped(ref.kind) ? undefined : (namespace ?? 'default');
      if (!cluster.objects.has(objectKey(ref.kind, scopedNamespace, ref.name))) {
        throw toolError(argv, [`Error from server (NotFound): ${ref.kind}s "${ref.name}" not found`]);
      }
      // Applied CRDs are Established (their apply paid for it); other kinds carry no modelled conditions.
      if (ref.kind === 'customresourcedefinition' && (wanted === 'established' || wanted === 'namesaccepted'))
        return;
      if (wanted.startsWith('jsonpath') || wanted === 'create') return;
      throw toolError(argv, [`error: the simulator does not model condition "${condition}" on ${ref.kind}`]);
    });
  }

  async exec(
    namespace: string,
    target: ResourceRef,
    commandLine: readonly string[],
    ctx?: OperationContext & { readonly container?: string },
  ): Promise<string> {
    const argv = this.#kubectl(
      'exec',
      '-n',
      namespace,
      target,
      ...(ctx?.container ? ['-c', ctx.container] : []),
      '--',
      ...commandLine,
    );
    const ref = splitResourceRef(target);
    return this.world.operate('exec', [target, ref?.name ?? target], command(argv), ctx, async () => {
      const deployment = this.#podOwner(namespace, target, argv);
      if (!isDeploymentReady(deployment, this.world.now())) {
        throw toolError(
          argv,
          [`error: unable to upgrade connection: container not found ("${deployment.name}")`],
          describeDeployment(deployment, this.world.now()),
        );
      }
      // The simulator runs no processes: a command in a running container succeeds with no output.
      return '';
    });
  }

  async portForward(
    namespace: string,
    target: ResourceRef,
    remotePort: number,
    ctx?: OperationContext,
  ): Promise<PortForward> {
    const argv = this.#kubectl(
      'port-forward',
      '-n',
      namespace,
      target,
      `:${remotePort}`,
      '--address',
      '127.0.0.1',
    );
    const ref = splitResourceRef(target);
    return this.world.operate('port-forward', [target, ref?.name ?? target], command(argv), ctx, async () => {
      const cluster = this.#cluster(argv);
      let containerPort = remotePort;
      let deployment: SimDeployment;
      if (ref?.kind === 'service') {
        const service = cluster.objects.get(objectKey('service', namespace, ref.name));
        if (!service)
          throw toolError(argv, [`Error from server (NotFound): services "${ref.name}" not found`]);
        const spec = serviceSchema.parse(service).spec;
        const port = spec.ports?.find((p) => p.port === remotePort);
        if (!port)
          throw toolError(argv, [`error: Service ${ref.name} does not have a service port ${remotePort}`]);
        const selected = selectedDeployments(cluster, namespace, spec.selector ?? {});
        const running = selected.find((d) => isDeploymentReady(d, this.world.now())) ?? selected[0];
        if (!running) throw toolError(argv, [`error: no pods found for service "${ref.name}"`]);
        deployment = running;
        containerPort = typeof port.targetPort === 'number' ? port.targetPort : port.port;
      } else {
        deployment = this.#podOwner(namespace, target, argv);
      }
      if (!isDeploymentReady(deployment, this.world.now())) {
        throw toolError(
          argv,
          ['error: unable to forward port because pod is not running. Current status=Pending'],
          describeDeployment(deployment, this.world.now()),
        );
      }
      const localPort = this.world.allocateLocalPort();
      this.world.portForwards.set(localPort, {
        localPort,
        cluster: cluster.name,
        namespace,
        deployment: deployment.name,
        containerPort,
      });
      return {
        localPort,
        close: async () => {
          if (this.world.portForwards.get(localPort)?.cluster === cluster.name)
            this.world.portForwards.delete(localPort);
        },
      };
    });
  }

  async patch(
    resource: ResourceRef,
    namespace: string | undefined,
    operations: readonly JsonPatchOperation[],
    ctx?: OperationContext,
    options?: { readonly subresource?: 'status' },
  ): Promise<void> {
    const argv = this.#kubectl(
      'patch',
      resource,
      ...(namespace ? ['-n', namespace] : []),
      ...(options?.subresource ? [`--subresource=${options.subresource}`] : []),
      '--type=json',
      '-p',
      JSON.stringify(operations),
    );
    const ref = splitResourceRef(resource);
    await this.world.operate('patch', [resource, ref?.name ?? resource], command(argv), ctx, async () => {
      if (!ref)
        throw toolError(argv, [
          `error: arguments in resource/name form must have a single resource and name: "${resource}"`,
        ]);
      const cluster = this.#cluster(argv);
      const key = objectKey(
        ref.kind,
        isClusterScoped(ref.kind) ? undefined : (namespace ?? 'default'),
        ref.name,
      );
      const current = cluster.objects.get(key);
      if (!current)
        throw toolError(argv, [`Error from server (NotFound): ${ref.kind}s "${ref.name}" not found`]);
      const statusSubresource = this.#hasStatusSubresource(cluster, current);
      if (options?.subresource === 'status' && !statusSubresource) {
        throw toolError(argv, [
          'Error from server (NotFound): the server could not find the requested resource',
        ]);
      }
      let patched: KubeObject;
      try {
        patched = applyJsonPatch(current, operations);
      } catch (error) {
        throw toolError(argv, [`The request is invalid: ${(error as Error).message}`]);
      }
      // With a status subresource, the status endpoint writes only status and the main endpoint never does.
      if (options?.subresource === 'status') patched = { ...current, status: patched.status };
      else if (statusSubresource) patched = this.#withoutStatusWrites(cluster, patched);
      this.#validate(cluster, [patched], argv);
      this.#store(cluster, patched);
    });
  }

  /** The pods of every Deployment in `namespace` (matching `labelSelector`), as the kubelet reports them. */
  #pods(cluster: SimCluster, namespace: string | undefined, labelSelector?: string): SimPod[] {
    const wanted = Object.fromEntries(
      (labelSelector ?? '')
        .split(',')
        .filter(Boolean)
        .map((term) => term.split('=') as [string, string]),
    );
    const now = this.world.now();
    return (
      [...cluster.deployments.values()]
        .filter((d) => namespace === undefined || d.namespace === namespace)
        .flatMap((d) => {
          const object = cluster.objects.get(objectKey('deployment', d.namespace, d.name));
          return object ? podsOf(cluster, d, object, now) : [];
        })
        // An empty selector selects everything (labelsMatch is for Service selectors, where it selects nothing).
        .filter(
          (p) =>
            Object.keys(wanted).length === 0 ||
            labelsMatch(wanted, (p.pod.metadata as { labels: Record<string, string> }).labels),
        )
    );
  }

  /** `kubectl get -o json`: pods, events and nodes as the API shows them, other kinds as applied. */
  async getJson(resource: string, options?: KubeReadOptions, ctx?: OperationContext): Promise<unknown> {
    const argv = this.#kubectl(
      'get',
      resource,
      ...(options?.namespace ? ['-n', options.namespace] : []),
      ...(options?.labelSelector ? ['-l', options.labelSelector] : []),
      '-o',
      'json',
    );
    return this.world.operate('get', [resource], command(argv), ctx, async () => {
      const cluster = this.#cluster(argv);
      const ref = splitResourceRef(resource);
      const kind = ref?.kind ?? splitResourceRef(`${resource}/x`)!.kind.replace(/s$/, '');
      const namespace = options?.namespace;
      const list = (items: readonly unknown[]) => ({ apiVersion: 'v1', kind: 'List', items, metadata: {} });
      let items: readonly unknown[];
      if (kind === 'pod') items = this.#pods(cluster, namespace, options?.labelSelector).map((p) => p.pod);
      else if (kind === 'event' || kind === 'ev')
        items = [
          ...[...cluster.deployments.values()]
            .filter((d) => namespace === undefined || d.namespace === namespace)
            .flatMap((d) => replicaSetEvents(d, this.world.now())),
          ...this.#pods(cluster, namespace).flatMap((p) => p.events),
        ];
      else if (kind === 'node' || kind === 'no') items = [nodeObject(cluster)];
      else
        items = cluster
          .objectsOfKind(kind)
          .filter(
            (o) => namespace === undefined || isClusterScoped(o.kind) || o.metadata.namespace === namespace,
          )
          .map((o) => this.#withStatus(o));
      if (!ref) return list(items);
      const found = items.find((o) => (o as { metadata?: { name?: string } }).metadata?.name === ref.name);
      if (!found)
        throw toolError(argv, [`Error from server (NotFound): ${ref.kind}s "${ref.name}" not found`]);
      return found;
    });
  }

  /** A stored Deployment with the status the simulator knows (replicas ready or not). */
  #withStatus(object: KubeObject): KubeObject {
    if (object.kind !== 'Deployment') return object;
    const deployment = this.#clusterOrUndefined()?.deployment(
      object.metadata.namespace ?? 'default',
      object.metadata.name,
    );
    const ready = deployment !== undefined && isDeploymentReady(deployment, this.world.now()) ? 1 : 0;
    const refused = deployment?.readyAt === undefined ? deployment?.block : undefined;
    return {
      ...object,
      status: {
        readyReplicas: ready,
        availableReplicas: ready,
        // The deployment controller copies a ReplicaSet's failure to create pods into its own conditions.
        ...(refused?.stage === 'create'
          ? {
              conditions: [
                { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: refused.message },
              ],
            }
          : {}),
      },
    };
  }

  #clusterOrUndefined(): SimCluster | undefined {
    const name = this.world.kubeconfigs.get(this.kubeconfigPath);
    return name === undefined ? undefined : this.world.clusters.get(name);
  }

  async describe(
    resource: ResourceRef,
    namespace: string | undefined,
    ctx?: OperationContext,
  ): Promise<string> {
    const argv = this.#kubectl('describe', resource, ...(namespace ? ['-n', namespace] : []));
    return this.world.operate('get', [resource], command(argv), ctx, async () => {
      const ref = splitResourceRef(resource);
      const pod =
        ref?.kind === 'pod'
          ? this.#pods(this.#cluster(argv), namespace).find(
              (p) => p.pod.metadata && (p.pod.metadata as { name: string }).name === ref.name,
            )
          : undefined;
      if (!pod)
        throw toolError(argv, [
          `Error from server (NotFound): ${ref ? `${ref.kind}s "${ref.name}"` : `"${resource}"`} not found`,
        ]);
      return describePod(pod);
    });
  }

  async logs(
    namespace: string,
    pod: string,
    options?: KubeLogOptions,
    ctx?: OperationContext,
  ): Promise<string> {
    const argv = this.#kubectl(
      'logs',
      '-n',
      namespace,
      pod,
      ...(options?.container ? ['-c', options.container] : []),
      ...(options?.previous ? ['--previous'] : []),
      ...(options?.tailLines === undefined ? [] : [`--tail=${options.tailLines}`]),
    );
    return this.world.operate('logs', [pod], command(argv), ctx, async () => {
      const found = this.#pods(this.#cluster(argv), namespace).find(
        (p) => (p.pod.metadata as { name: string }).name === pod,
      );
      if (!found) throw toolError(argv, [`Error from server (NotFound): pods "${pod}" not found`]);
      const [first] = Object.keys(found.logs);
      const container = options?.container ?? first ?? '';
      const logs = found.logs[container] ?? {};
      const text = options?.previous ? logs.previous : logs.current;
      if (text === undefined) {
        const statuses = (found.pod.status as { containerStatuses?: { name: string; state: Json }[] })
          .containerStatuses;
        const waiting = (statuses?.find((c) => c.name === container)?.state.waiting as { reason?: string })
          ?.reason;
        // The kubelet's words for a container that never started (kubelet_pods.go validateContainerLogStatus).
        const why =
          waiting === undefined
            ? ' - no logs yet'
            : `: ${waiting === 'ImagePullBackOff' ? 'trying and failing to pull image' : waiting === 'ErrImagePull' ? "image can't be pulled" : waiting}`;
        throw toolError(argv, [
          options?.previous
            ? `Error from server (BadRequest): previous terminated container "${container}" in pod "${pod}" not found`
            : `Error from server (BadRequest): container "${container}" in pod "${pod}" is waiting to start${why}`,
        ]);
      }
      const lines = text.split('\n');
      return (options?.tailLines === undefined ? lines : lines.slice(-options.tailLines)).join('\n');
    });
  }

  async scale(
    resource: ResourceRef,
    namespace: string,
    replicas: number,
    ctx?: OperationContext,
  ): Promise<void> {
    const argv = this.#kubectl('scale', resource, '-n', namespace, `--replicas=${replicas}`);
    const ref = splitResourceRef(resource);
    await this.world.operate('scale', [resource, ref?.name ?? resource], command(argv), ctx, async () => {
      const cluster = this.#cluster(argv);
      const current = ref ? cluster.objects.get(objectKey(ref.kind, namespace, ref.name)) : undefined;
      if (!current || ref?.kind !== 'deployment')
        throw toolError(argv, [
          `Error from server (NotFound): ${ref ? `${ref.kind}s "${ref.name}"` : `"${resource}"`} not found`,
        ]);
      const spec = (current as { spec?: Record<string, unknown> }).spec ?? {};
      this.#store(cluster, { ...current, spec: { ...spec, replicas } });
    });
  }

  async waitDeleted(
    resource: string,
    selection: KubeReadOptions & { readonly namespace: string },
    timeoutMs: number,
    ctx?: OperationContext,
  ): Promise<void> {
    const argv = this.#kubectl(
      'wait',
      '--for=delete',
      resource,
      '-n',
      selection.namespace,
      ...(selection.labelSelector ? ['-l', selection.labelSelector] : []),
      `--timeout=${Math.ceil(timeoutMs / 1000)}s`,
    );
    await this.world.operate(
      'wait',
      [resource, selection.labelSelector ?? resource],
      command(argv),
      ctx,
      async () => {
        if (splitResourceRef(`${resource}/x`)?.kind !== 'pod')
          throw toolError(argv, [
            `error: the simulator waits for the deletion of pods only, not "${resource}"`,
          ]);
        const deadline = this.world.now() + timeoutMs;
        for (;;) {
          const left = this.#pods(this.#cluster(argv), selection.namespace, selection.labelSelector);
          if (left.length === 0) return;
          if (this.world.now() >= deadline)
            throw new NotReadyError(
              `${resource}${selection.labelSelector ? ` (${selection.labelSelector})` : ''} in namespace ${selection.namespace} (waiting for deletion)`,
              `error: timed out waiting for the condition on pods/${(left[0]!.pod.metadata as { name: string }).name}`,
            );
          await this.world.sleep(Math.min(BLOCKED_POLL_MS, deadline - this.world.now()), ctx);
        }
      },
    );
  }

  /** The Deployment behind `deployment/x` (or a `pod/x` named after it). */
  #podOwner(namespace: string, target: ResourceRef, argv: readonly string[]): SimDeployment {
    const ref = splitResourceRef(target);
    const cluster = this.#cluster(argv);
    if (ref?.kind === 'deployment' || ref?.kind === 'pod') {
      const byName =
        cluster.deployment(namespace, ref.name) ??
        [...cluster.deployments.values()].find(
          (d) => d.namespace === namespace && ref.name.startsWith(`${d.name}-`),
        );
      if (byName) return byName;
    }
    throw toolError(argv, [
      `Error from server (NotFound): ${ref ? `${ref.kind}s "${ref.name}"` : `"${target}"`} not found`,
    ]);
  }
}
