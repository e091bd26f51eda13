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
  ): Promise<void>;
}

/** Makes a `KubeClient` for a cluster's kubeconfig. */
export type KubeClientFactory = (kubeconfigPath: string) => KubeClient;
