import type { KubeClient, OperationContext } from '@kubernaut-e2e/core';
import {
  parseServiceOptions,
  type ServiceOptions,
  serviceManifestsFromResolved,
} from '../manifests/service-manifests.js';
import { applyAndWait } from './deploy-context.js';

export interface ServiceEndpoint {
  readonly namespace: string;
  readonly service: string;
  /** Service port by port name. */
  readonly ports: Readonly<Record<string, number>>;
  /** Node port by port name (only the ports that have one). */
  readonly nodePorts: Readonly<Record<string, number>>;
}

/** Applies one generic service (gateway, notification, authwebhook…) and waits for its rollout. */
export async function deployService(
  kube: KubeClient,
  options: ServiceOptions,
  ctx?: OperationContext,
): Promise<ServiceEndpoint> {
  const o = parseServiceOptions(options);
  await applyAndWait(kube, serviceManifestsFromResolved(o), o.namespace, o.rolloutTimeoutMs, ctx);
  return {
    namespace: o.namespace,
    service: o.serviceName ?? o.name,
    ports: Object.fromEntries(o.ports.map((p) => [p.name, p.port])),
    nodePorts: { ...o.nodePorts },
  };
}
