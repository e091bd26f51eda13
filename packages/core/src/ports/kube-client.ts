import type { OperationContext } from './operation-context.js';

/** A Kubernetes object as plain data; rendered to YAML/JSON by the adapter, never templated. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** `kind/name`, e.g. `deployment/datastorage`. */
export type ResourceRef = string;

export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

/** Which objects a read selects: a namespace (all namespaces' objects of a cluster-scoped kind otherwise) and labels. */
export interface KubeReadOptions {
  /** Omit for cluster-scoped kinds (`nodes`). */
  readonly namespace?: string;
  /** A label selector, e.g. `app=gateway` (`kubectl -l`). */
  readonly labelSelector?: string;
}

/** Which log of a pod's container `logs` reads. */
export interface KubeLogOptions {
  /** The container; required by the API when the pod has more than one. */
  readonly container?: string;
  /** The previous (terminated) instance of the container — what a crash-looping container printed before it died. */
  readonly previous?: boolean;
  /** Only the last N lines. */
  readonly tailLines?: number;
}

export interface PortForward {
  readonly localPort: number;
  close(): Promise<void>;
}

/** The cluster's API, bound to one kubeconfig (kubectl, or the simulator). */
export interface KubeClient {
  /** Server-side apply. */
  apply(objects: readonly KubeObject[], ctx?: OperationContext): Promise<void>;
  /** Waits until the rollout of `resource` completes; raises `NotReadyError` after `timeoutMs`. */
  rolloutStatus(
    resource: ResourceRef,
    namespace: string,
    timeoutMs: number,
    ctx?: OperationContext,
  ): Promise<void>;
  /** `kubectl wait --for=<condition>`, e.g. `condition=Established`. */
  waitFor(
    resource: ResourceRef,
    condition: string,
    namespace: string | undefined,
    timeoutMs: number,
    ctx?: OperationContext,
  ): Promise<void>;
  exec(
    namespace: string,
    target: ResourceRef,
    command: readonly string[],
    ctx?: OperationContext & { readonly container?: string },
  ): Promise<string>;
  /** Forwards a free local port to `remotePort`; resolves once kubectl reports it is forwarding. */
  portForward(
    namespace: string,
    target: ResourceRef,
    remotePort: number,
    ctx?: OperationContext,
  ): Promise<PortForward>;
  patch(
    resource: ResourceRef,
    namespace: string | undefined,
    operations: readonly JsonPatchOperation[],
    ctx?: OperationContext,
    /** `status`: patch the status subresource (`--subresource=status`), which a plain apply never writes. */
    options?: { readonly subresource?: 'status' },
  ): Promise<void>;
  /**
   * `kubectl get <resource> -o json`: the API's JSON as kubectl prints it — a `List` with `items` for a kind
   * (`pods`, `events`, `nodes`, `deployments`), the object itself for `kind/name`. Diagnostics parse it.
   */
  getJson(resource: string, options?: KubeReadOptions, ctx?: OperationContext): Promise<unknown>;
  /** `kubectl describe <resource>`: the human-readable description, recent events included. */
  describe(resource: ResourceRef, namespace: string | undefined, ctx?: OperationContext): Promise<string>;
  /** `kubectl logs`: one container's log (current, or the previous instance's). */
  logs(namespace: string, pod: string, options?: KubeLogOptions, ctx?: OperationContext): Promise<string>;
  /** `kubectl scale --replicas=N` (coverage collection scales to 0 so Go binaries flush their counters). */
  scale(resource: ResourceRef, namespace: string, replicas: number, ctx?: OperationContext): Promise<void>;
  /**
   * `kubectl wait --for=delete`: resolves once every selected object is gone — at once when none exists —
   * and raises `NotReadyError` after `timeoutMs`. `resource` is a kind (`pods`, with a label selector) or
   * `kind/name`.
   */
  waitDeleted(
    resource: string,
    options: KubeReadOptions & { readonly namespace: string },
    timeoutMs: number,
    ctx?: OperationContext,
  ): Promise<void>;
}

/** Makes a `KubeClient` for a cluster's kubeconfig. */
export type KubeClientFactory = (kubeconfigPath: string) => KubeClient;
