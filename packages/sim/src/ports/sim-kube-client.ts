import type {
  JsonPatchOperation,
  KubeClient,
  KubeObject,
  OperationContext,
  PortForward,
  ResourceRef,
} from '@kubernaut-e2e/core';
import { NotReadyError } from '@kubernaut-e2e/core';
import { nextDeploymentState } from '../world/deployment-state.js';
import { applyJsonPatch } from '../world/json-patch.js';
import {
  apiGroup,
  deploymentSchema,
  isBuiltinKind,
  isClusterScoped,
  isRbacOrTls,
  labelsMatch,
  objectKey,
  serviceSchema,
  splitResourceRef,
} from '../world/kube-objects.js';
import { selectedDeployments } from '../world/routing.js';
import {
  describeDeployment,
  isDeploymentReady,
  type SimCluster,
  type SimDeployment,
} from '../world/sim-cluster.js';
import type { SimCommand, SimWorld } from '../world/sim-world.js';
import { toolError } from '../world/tool-error.js';

/** How often a wait re-checks a rollout that cannot complete yet (a re-apply or a load may unblock it). */
const BLOCKED_POLL_MS = 1_000;

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
 * ready, NodePorts must be in range and unique, exec and port-forward need a running pod.
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
      for (const object of objects) this.#store(cluster, structuredClone(object));
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

  #store(cluster: SimCluster, object: KubeObject): void {
    const namespace = isClusterScoped(object.kind) ? undefined : (object.metadata.namespace ?? 'default');
    cluster.objects.set(objectKey(object.kind, namespace, object.metadata.name), object);
    if (object.kind === 'Deployment' && namespace !== undefined) {
      const shape = deploymentSchema.parse(object);
      const key = `${namespace}/${object.metadata.name}`;
      cluster.deployments.set(
        key,
        nextDeploymentState(
          cluster,
          namespace,
          object.metadata.name,
          shape,
          cluster.deployments.get(key),
          this.world.profile,
          this.world.now(),
        ),
      );
    }
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
  ): Promise<void> {
    const argv = this.#kubectl(
      'patch',
      resource,
      ...(namespace ? ['-n', namespace] : []),
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
      let patched: KubeObject;
      try {
        patched = applyJsonPatch(current, operations);
      } catch (error) {
        throw toolError(argv, [`The request is invalid: ${(error as Error).message}`]);
      }
      this.#validate(cluster, [patched], argv);
      this.#store(cluster, patched);
    });
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
