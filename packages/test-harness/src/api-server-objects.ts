import {
  type CommandResult,
  isBuiltinKind,
  isClusterScoped,
  type JsonPatchOperation,
  type KubeObject,
} from '@kubernaut-e2e/core';
import { applyJsonPatch } from '@kubernaut-e2e/core/json-patch';
import { parseAllDocuments } from 'yaml';
import { apiError, objectKey, result } from './stand-in-answers.js';

/*
 * The objects an API server holds and what it checks when kubectl writes them, for both process-boundary stand-ins
 * (`KindAndApiServer`, `ExistingClusterStandIn`). What a real API server (or kubectl in front of it) refuses is
 * refused here, with its message:
 *
 * - `apply`: a kind nothing serves (a custom kind before its CRD: kubectl's "no matches for kind … ensure CRDs are
 *   installed first"), a namespaced object before its namespace, a name that is not a DNS subdomain (a DNS label for
 *   Namespaces and Services), a Secret of type `kubernetes.io/tls` without `tls.crt` and `tls.key`, Secret data that
 *   is not base64, ConfigMap or Secret keys outside `[-._a-zA-Z0-9]`, non-string ConfigMap data, a Service node port
 *   outside 30000–32767 or already allocated, a Deployment whose selector does not select its template, a
 *   (Cluster)RoleBinding without `roleRef` or with a ServiceAccount subject without a namespace. Objects are applied
 *   in order; the ones before a refused object stay applied, as with kubectl.
 * - A custom kind whose CRD version has the status subresource: an apply never writes `status` (the stored one
 *   stays), only `patch --subresource=status` does — and that subresource does not exist for other kinds.
 * - `patch <type>/<name> [-n <ns>] [--subresource=status] --type=json -p <ops>`: the type resolved as discovery
 *   resolves it (kind, plural, singular, short names, `<type>.<group>`), RFC 6902 applied to the stored object.
 * - What the kubelet refuses about a pod's references (`podProblem`): a missing ServiceAccount, ConfigMap or Secret
 *   a non-optional volume, projection or env var reads, or a key missing from one.
 *
 * Namespaces `default`, `kube-system`, `kube-public` and `kube-node-lease` exist in every cluster.
 */

const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Built-in kinds a patch may name, with their API group (discovery's answer for them). */
const BUILTIN_GROUPS: Record<string, string> = {
  Namespace: '',
  Pod: '',
  Service: '',
  ConfigMap: '',
  Secret: '',
  ServiceAccount: '',
  PersistentVolumeClaim: '',
  Deployment: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  Job: 'batch',
  Role: 'rbac.authorization.k8s.io',
  RoleBinding: 'rbac.authorization.k8s.io',
  ClusterRole: 'rbac.authorization.k8s.io',
  ClusterRoleBinding: 'rbac.authorization.k8s.io',
  CustomResourceDefinition: 'apiextensions.k8s.io',
  MutatingWebhookConfiguration: 'admissionregistration.k8s.io',
  ValidatingWebhookConfiguration: 'admissionregistration.k8s.io',
};
/** Short names kubectl's discovery knows for built-in kinds. */
const BUILTIN_SHORT_NAMES: Record<string, string> = {
  cm: 'configmap',
  svc: 'service',
  deploy: 'deployment',
  sa: 'serviceaccount',
  ns: 'namespace',
  crd: 'customresourcedefinition',
  po: 'pod',
};

type Spec = Record<string, unknown>;

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { kind?: string; plural?: string; singular?: string; shortNames?: string[] };
  versions?: { name?: string; served?: boolean; subresources?: { status?: unknown } }[];
}

/** `apps/v1` → `apps`, `v1` → ``. */
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');
const versionOf = (apiVersion: string) => apiVersion.split('/').at(-1)!;

/** A refused object: kubectl's line for it. */
class Refused extends Error {}

export class ApiObjects {
  constructor(
    /** `<Kind>/<namespace>/<name>` → object (the key format of `objectKey`). */
    readonly objects: Map<string, KubeObject>,
  ) {}

  /** The CRD that serves `kind` in `apiVersion`, if one is applied. */
  crdOf(kind: string, apiVersion: string): KubeObject | undefined {
    return [...this.objects.values()].find((o) => {
      if (o.kind !== 'CustomResourceDefinition') return false;
      const spec = o.spec as CrdSpec;
      return (
        spec.group === groupOf(apiVersion) &&
        spec.names?.kind === kind &&
        (spec.versions ?? []).some((v) => v.name === versionOf(apiVersion) && v.served !== false)
      );
    });
  }

  /** Whether objects of `kind` live in a namespace (a custom kind's scope is its CRD's). */
  namespaced(kind: string, apiVersion: string): boolean {
    if (isBuiltinKind(kind)) return !isClusterScoped(kind);
    return (this.crdOf(kind, apiVersion)?.spec as CrdSpec | undefined)?.scope !== 'Cluster';
  }

  namespaceExists(namespace: string): boolean {
    return SYSTEM_NAMESPACES.has(namespace) || this.objects.has(`Namespace//${namespace}`);
  }

  /**
   * `kubectl apply --server-side -f -` of a YAML stream; see the file comment. kubectl maps every object's kind to a
   * resource (discovery) before it sends any, so a custom kind whose CRD comes earlier in the same stream is still
   * unknown; the objects then go one by one, so a Namespace earlier in the stream exists for what follows it.
   */
  apply(argv: readonly string[], input: string): CommandResult {
    const applied: string[] = [];
    const refused: string[] = [];
    const discovery = new ApiObjects(new Map(this.objects));
    for (const doc of parseAllDocuments(input)) {
      const object = doc.toJS() as KubeObject | null;
      if (object === null) continue;
      try {
        if (!isBuiltinKind(object.kind) && discovery.crdOf(object.kind, object.apiVersion) === undefined)
          throw new Refused(
            `error: resource mapping not found for name: "${object.metadata?.name}" namespace: "${object.metadata?.namespace ?? ''}" from "STDIN": no matches for kind "${object.kind}" in version "${object.apiVersion}"\nensure CRDs are installed first`,
          );
        const stored = this.#admit(object);
        this.objects.set(objectKey(stored), stored);
        applied.push(`${this.#resourceName(stored)}/${stored.metadata.name} serverside-applied`);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        refused.push(error.message);
      }
    }
    if (refused.length > 0) {
      throw apiError(argv, refused.join('\n'));
    }
    return result(argv, `${applied.join('\n')}\n`);
  }

  /** `kubectl patch` with the argv after `patch`; see the file comment. */
  patch(argv: readonly string[], args: readonly string[]): CommandResult | undefined {
    const [ref, ...flags] = args;
    const nsAt = flags.indexOf('-n');
    const namespace = nsAt >= 0 ? flags[nsAt + 1] : undefined;
    const rest = nsAt >= 0 ? [...flags.slice(0, nsAt), ...flags.slice(nsAt + 2)] : flags;
    const subresource = rest[0]?.startsWith('--subresource=') ? rest.shift()!.slice(14) : undefined;
    const [typeFlag, pFlag, patch, ...more] = rest;
    const slash = ref?.indexOf('/') ?? -1;
    if (typeFlag !== '--type=json' || pFlag !== '-p' || patch === undefined || more.length > 0 || slash <= 0)
      return undefined;
    const type = ref!.slice(0, slash);
    const name = ref!.slice(slash + 1);
    const served = this.#resolveType(type);
    if (!served) throw apiError(argv, `error: the server doesn't have a resource type "${type}"`);
    const ns = served.namespaced ? (namespace ?? 'default') : undefined;
    const key = `${served.kind}/${ns ?? ''}/${name}`;
    const current = this.objects.get(key);
    if (!current)
      throw apiError(argv, `Error from server (NotFound): ${served.resource} "${name}" not found`);
    const statusSubresource = this.#hasStatusSubresource(current);
    if (subresource !== undefined && (subresource !== 'status' || !statusSubresource))
      throw apiError(argv, 'Error from server (NotFound): the server could not find the requested resource');
    let operations: JsonPatchOperation[];
    try {
      operations = JSON.parse(patch) as JsonPatchOperation[];
      if (!Array.isArray(operations)) throw new Error('not an array');
    } catch {
      throw apiError(
        argv,
        'error: unable to parse "' +
          patch +
          '": json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      );
    }
    let patched: KubeObject;
    try {
      patched = applyJsonPatch(current, operations);
    } catch (error) {
      throw apiError(
        argv,
        `The request is invalid: the server rejected our request due to an error in our request (${(error as Error).message})`,
      );
    }
    // The status endpoint writes only status; the main endpoint of a kind with a status subresource never does.
    if (subresource === 'status' || statusSubresource) {
      const { status: _written, ...base } = subresource === 'status' ? current : patched;
      const status = subresource === 'status' ? patched.status : current.status;
      patched = status === undefined ? base : { ...base, status };
    }
    try {
      patched = this.#admit(patched, subresource === 'status');
    } catch (error) {
      if (error instanceof Refused) throw apiError(argv, error.message);
      throw error;
    }
    const unchanged = JSON.stringify(patched) === JSON.stringify(current);
    this.objects.set(key, patched);
    return result(argv, `${this.#resourceName(patched)}/${name} patched${unchanged ? ' (no change)' : ''}\n`);
  }

  /**
   * What keeps a pod of this template from starting, as the kubelet and the API server report it, or undefined: its
   * ServiceAccount, the ConfigMaps and Secrets its mounted volumes, projections and env read (unless optional).
   */
  podProblem(namespace: string, podSpec: Spec): string | undefined {
    const account = (podSpec.serviceAccountName ?? podSpec.serviceAccount ?? 'default') as string;
    if (account !== 'default' && !this.objects.has(`ServiceAccount/${namespace}/${account}`))
      return `FailedCreate: error looking up service account ${namespace}/${account}: serviceaccount "${account}" not found`;
    const containers = [
      ...((podSpec.initContainers as Spec[] | undefined) ?? []),
      ...((podSpec.containers as Spec[] | undefined) ?? []),
    ];
    const mounted = new Set(
      containers.flatMap((c) =>
        ((c.volumeMounts as { name: string }[] | undefined) ?? []).map((m) => m.name),
      ),
    );
    for (const volume of (podSpec.volumes as Spec[] | undefined) ?? []) {
      if (!mounted.has(volume.name as string)) continue;
      const sources: KeySource[] = [];
      const configMap = volume.configMap as KeySourceSpec | undefined;
      const secret = volume.secret as (KeySourceSpec & { secretName: string }) | undefined;
      if (configMap) sources.push({ kind: 'ConfigMap', ...configMap });
      if (secret) sources.push({ kind: 'Secret', ...secret, name: secret.secretName });
      for (const s of ((volume.projected as Spec | undefined)?.sources as Spec[] | undefined) ?? []) {
        if (s.configMap) sources.push({ kind: 'ConfigMap', ...(s.configMap as KeySourceSpec) });
        if (s.secret) sources.push({ kind: 'Secret', ...(s.secret as KeySourceSpec) });
      }
      const problems = sources.flatMap((s) => this.#sourceProblem(namespace, s) ?? []);
      if (problems.length > 0)
        return `FailedMount: MountVolume.SetUp failed for volume "${String(volume.name)}" : ${problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`}`;
    }
    for (const container of containers) {
      for (const entry of (container.env as Spec[] | undefined) ?? []) {
        if (entry.value !== undefined) continue;
        const from = entry.valueFrom as Spec | undefined;
        const ref = (from?.secretKeyRef ?? from?.configMapKeyRef) as
          | { name: string; key: string; optional?: boolean }
          | undefined;
        if (!ref || ref.optional) continue;
        const kind = from?.secretKeyRef ? 'Secret' : 'ConfigMap';
        const object = this.objects.get(`${kind}/${namespace}/${ref.name}`);
        if (!object) return `CreateContainerConfigError: ${kind.toLowerCase()} "${ref.name}" not found`;
        if (!keysOf(object).has(ref.key))
          return `CreateContainerConfigError: couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}`;
      }
    }
    return undefined;
  }

  /**
   * What a Service port reaches: the Deployment its selector selects and the HTTP paths that Deployment's probes
   * (readiness, liveness, startup) ask on the container port behind it — what the container answers 200 there.
   */
  servedAt(
    service: KubeObject,
    port: { readonly port: number; readonly targetPort?: number | string },
  ): { readonly deployment: string; readonly probePaths: readonly string[] } | undefined {
    const selector = (service.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (!selector || Object.keys(selector).length === 0) return undefined;
    const deployment = [...this.objects.values()].find((o) => {
      if (o.kind !== 'Deployment' || o.metadata.namespace !== service.metadata.namespace) return false;
      const labels = ((o.spec as { template?: { metadata?: { labels?: Record<string, string> } } }).template
        ?.metadata?.labels ?? {}) as Record<string, string>;
      return Object.entries(selector).every(([k, v]) => labels[k] === v);
    });
    if (!deployment) return undefined;
    const containers = ((deployment.spec as { template: { spec: Spec } }).template.spec.containers ??
      []) as Spec[];
    const containerPort = (c: Spec, ref: number | string | undefined): number | undefined =>
      typeof ref === 'number'
        ? ref
        : ((c.ports as { name?: string; containerPort: number }[] | undefined) ?? []).find(
            (p) => p.name === ref,
          )?.containerPort;
    const target = port.targetPort ?? port.port;
    const probePaths = containers.flatMap((c) => {
      const listening = containerPort(c, target);
      return ['readinessProbe', 'livenessProbe', 'startupProbe'].flatMap((field) => {
        const get = (c[field] as { httpGet?: { path?: string; port: number | string } } | undefined)?.httpGet;
        return get && listening !== undefined && containerPort(c, get.port) === listening
          ? [get.path ?? '/']
          : [];
      });
    });
    return { deployment: deployment.metadata.name, probePaths: [...new Set(probePaths)] };
  }

  #sourceProblem(namespace: string, source: KeySource): string | undefined {
    const object = this.objects.get(`${source.kind}/${namespace}/${source.name}`);
    if (!object)
      return source.optional ? undefined : `${source.kind.toLowerCase()} "${source.name}" not found`;
    if (source.optional) return undefined;
    const keys = keysOf(object);
    const missing = (source.items ?? []).find((item) => !keys.has(item.key));
    if (!missing) return undefined;
    return source.kind === 'ConfigMap'
      ? `configmap references non-existent config key: ${missing.key}`
      : `references non-existent secret key: ${missing.key}`;
  }

  /**
   * The object as the API server stores it, or `Refused` with kubectl's line. Its `status` is written only through the
   * status subresource (`writesStatus`) when its kind has one.
   */
  #admit(input: KubeObject, writesStatus = false): KubeObject {
    if (
      typeof input.apiVersion !== 'string' ||
      typeof input.kind !== 'string' ||
      typeof input.metadata?.name !== 'string'
    )
      throw new Refused(
        'error: error validating "STDIN": error validating data: [apiVersion not set, kind not set, metadata.name not set]',
      );
    const { kind, apiVersion, metadata } = input;
    const served = isBuiltinKind(kind) || this.crdOf(kind, apiVersion) !== undefined;
    const namespaced = this.namespaced(kind, apiVersion);
    const namespace = namespaced ? (metadata.namespace ?? 'default') : undefined;
    if (!served)
      throw new Refused(
        `error: resource mapping not found for name: "${metadata.name}" namespace: "${metadata.namespace ?? ''}" from "STDIN": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`,
      );
    const invalid = (detail: string) => new Refused(`The ${kind} "${metadata.name}" is invalid: ${detail}`);
    const label = kind === 'Namespace' || kind === 'Service';
    if (!(label ? DNS_LABEL : DNS_SUBDOMAIN).test(metadata.name) || metadata.name.length > (label ? 63 : 253))
      throw invalid(
        `metadata.name: Invalid value: "${metadata.name}": a lowercase RFC 1123 ${label ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-'${label ? '' : " or '.'"}, and must start and end with an alphanumeric character`,
      );
    if (namespace !== undefined && !this.namespaceExists(namespace))
      throw new Refused(
        `Error from server (NotFound): error when creating "STDIN": namespaces "${namespace}" not found`,
      );
    if (kind === 'Secret' || kind === 'ConfigMap') this.#checkData(input, invalid);
    if (kind === 'Service') this.#checkNodePorts(input, namespace!, invalid);
    if (kind === 'Deployment') {
      const spec = input.spec as { selector?: { matchLabels?: Record<string, string> }; template?: Spec };
      const labels = ((spec?.template?.metadata as Spec | undefined)?.labels ?? {}) as Record<string, string>;
      const selector = spec?.selector?.matchLabels ?? {};
      if (Object.keys(selector).length === 0 || !Object.entries(selector).every(([k, v]) => labels[k] === v))
        throw invalid(
          `spec.template.metadata.labels: Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``,
        );
    }
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      if (!(input.roleRef as Spec | undefined)?.name) throw invalid('roleRef.name: Required value');
      const subjects = (input.subjects as { kind?: string; namespace?: string }[] | undefined) ?? [];
      const i = subjects.findIndex((s) => s.kind === 'ServiceAccount' && !s.namespace);
      if (i >= 0) throw invalid(`subjects[${i}].namespace: Required value`);
    }
    const { namespace: _given, ...rest } = metadata;
    let stored: KubeObject = {
      ...input,
      metadata: namespace === undefined ? rest : { ...rest, namespace },
    };
    if (!writesStatus && this.#hasStatusSubresource(stored)) {
      const { status: _ignored, ...withoutStatus } = stored;
      const previous = this.objects.get(objectKey(stored))?.status;
      stored = previous === undefined ? withoutStatus : { ...withoutStatus, status: previous };
    }
    return stored;
  }

  #checkData(object: KubeObject, invalid: (detail: string) => Refused): void {
    for (const field of ['data', 'stringData', 'binaryData'] as const) {
      const data = (object[field] ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(data)) {
        if (!DATA_KEY.test(key))
          throw invalid(
            `${field}[${key}]: Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
          );
        if (typeof value !== 'string')
          throw new Refused(
            `Error from server (BadRequest): ${object.kind} in version "v1" cannot be handled as a ${object.kind}: json: cannot unmarshal ${typeof value} into Go struct field ${object.kind}.${field} of type ${field === 'data' && object.kind === 'ConfigMap' ? 'string' : '[]uint8'}`,
          );
        const binary = object.kind === 'Secret' ? field === 'data' : field === 'binaryData';
        if (binary && !BASE64.test(value))
          throw new Refused(
            `Error from server (BadRequest): ${object.kind} in version "v1" cannot be handled as a ${object.kind}: illegal base64 data in ${field}[${key}]`,
          );
      }
    }
    if (object.kind === 'Secret' && object.type === 'kubernetes.io/tls') {
      const keys = keysOf(object);
      const missing = ['tls.crt', 'tls.key'].filter((k) => !keys.has(k));
      if (missing.length > 0)
        throw invalid(
          missing.length === 1
            ? `data[${missing[0]}]: Required value`
            : `[${missing.map((k) => `data[${k}]: Required value`).join(', ')}]`,
        );
    }
  }

  #checkNodePorts(service: KubeObject, namespace: string, invalid: (detail: string) => Refused): void {
    const spec = (service.spec ?? {}) as { type?: string; ports?: { nodePort?: number }[] };
    const key = `Service/${namespace}/${service.metadata.name}`;
    const taken = new Map<number, string>();
    for (const [other, o] of this.objects)
      if (o.kind === 'Service' && other !== key)
        for (const p of (o.spec as typeof spec | undefined)?.ports ?? [])
          if (p.nodePort !== undefined) taken.set(p.nodePort, other);
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (p.nodePort === undefined) continue;
      const type = spec.type ?? 'ClusterIP';
      if (type !== 'NodePort' && type !== 'LoadBalancer')
        throw invalid(`spec.ports[${i}].nodePort: Forbidden: may not be used when \`type\` is '${type}'`);
      if (p.nodePort < 30000 || p.nodePort > 32767)
        throw invalid(
          `spec.ports[${i}].nodePort: Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is 30000-32767`,
        );
      if (taken.has(p.nodePort))
        throw invalid(
          `spec.ports[${i}].nodePort: Invalid value: ${p.nodePort}: provided port is already allocated`,
        );
    }
  }

  #hasStatusSubresource(object: KubeObject): boolean {
    if (isBuiltinKind(object.kind))
      return ['Deployment', 'Service', 'Namespace', 'Pod'].includes(object.kind);
    const crd = this.crdOf(object.kind, object.apiVersion);
    return ((crd?.spec as CrdSpec | undefined)?.versions ?? []).some(
      (v) => v.name === versionOf(object.apiVersion) && v.subresources?.status !== undefined,
    );
  }

  /** kubectl's `<resource>.<group>` for an object (`actiontype.kubernaut.ai`, `deployment.apps`, `configmap`). */
  #resourceName(object: KubeObject): string {
    const group = groupOf(object.apiVersion);
    const crd = this.crdOf(object.kind, object.apiVersion);
    const singular = (crd?.spec as CrdSpec | undefined)?.names?.singular ?? object.kind.toLowerCase();
    return group ? `${singular}.${group}` : singular;
  }

  /** A `kubectl patch` type (`actiontype`, `at`, `actiontypes.kubernaut.ai`, `configmap`) → what serves it. */
  #resolveType(type: string): { kind: string; namespaced: boolean; resource: string } | undefined {
    const [resource, ...groupParts] = type.toLowerCase().split('.');
    const group = groupParts.join('.');
    for (const crd of this.objects.values()) {
      if (crd.kind !== 'CustomResourceDefinition') continue;
      const spec = crd.spec as CrdSpec;
      const names = [
        spec.names?.plural,
        spec.names?.singular,
        spec.names?.kind?.toLowerCase(),
        ...(spec.names?.shortNames ?? []),
      ];
      if (names.includes(resource) && (group === '' || group === spec.group))
        return {
          kind: spec.names!.kind!,
          namespaced: spec.scope !== 'Cluster',
          resource: `${spec.names?.plural}.${spec.group}`,
        };
    }
    const singular = BUILTIN_SHORT_NAMES[resource!] ?? resource!.replace(/s$/, '');
    const kind = Object.keys(BUILTIN_GROUPS).find((k) => [resource, singular].includes(k.toLowerCase()));
    const builtinGroup = kind === undefined ? undefined : BUILTIN_GROUPS[kind]!;
    if (kind === undefined || (group !== '' && group !== builtinGroup)) return undefined;
    return {
      kind,
      namespaced: !isClusterScoped(kind),
      resource: `${kind.toLowerCase()}s${builtinGroup ? `.${builtinGroup}` : ''}`,
    };
  }
}

interface KeySourceSpec {
  readonly name: string;
  readonly optional?: boolean;
  readonly items?: readonly { readonly key: string }[];
}
interface KeySource extends KeySourceSpec {
  readonly kind: 'ConfigMap' | 'Secret';
}

/** The keys a ConfigMap or Secret holds (`stringData` is merged into `data` by the API server). */
function keysOf(object: KubeObject): Set<string> {
  const keys = new Set<string>();
  for (const field of ['data', 'binaryData', 'stringData'])
    for (const key of Object.keys((object[field] as Record<string, unknown> | undefined) ?? {}))
      keys.add(key);
  return keys;
}
