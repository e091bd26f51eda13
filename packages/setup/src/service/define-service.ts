import { ConfigError, configIssues, createCommandRunner } from '@kubernaut-e2e/core';
import { checkComposedService } from './check-service.js';
import { composeService } from './compose.js';
import { declareService } from './declare-service.js';
import type { Service } from './definition.js';
import type { EndpointsOf } from './endpoints.js';
import { type ServiceSpec, serviceSpecSchema } from './spec/service.js';

/**
 * Declares a service's E2E setup as data — what kubernaut's suite deploys — and fills in the repetition: the kind
 * cluster (one control-plane node publishing the host ports, or the repository's own `kindConfig` with them merged
 * in), the namespace, image tags and coverage, the run's certificates, and the stacks it `uses` (each once, before
 * it). The spec is checked when it is defined: a bad field is a `ConfigError` naming it, before anything runs; the
 * files it names (config files, CRDs, manifests, the kind config) are checked when a run is declared, before
 * anything runs too.
 *
 * ```ts
 * export const ordersService = defineService({
 *   name: 'orders',
 *   uses: [dataStorageStack],
 *   hostPorts: { orders: 19080, ordersHealth: 19081, datastorage: 19082, postgresql: 19432 },
 *   images: { orders: { dockerfile: 'docker/orders.Dockerfile' } },
 *   deployments: [{
 *     id: 'orders', image: 'orders', dependsOn: ['datastorage'],
 *     args: ['--config=/etc/orders/config.yaml'],
 *     configFiles: [{ name: 'orders-config', mountPath: '/etc/orders',
 *       files: { 'config.yaml': { yaml: (run) => ({ datastorage: { url: run.url('datastorage') } }) } } }],
 *     ports: [{ name: 'http', port: 8080 }, { name: 'health', port: 8081 }],
 *     publish: [{ port: 'http', hostPort: 'orders', nodePort: 30100 },
 *               { port: 'health', hostPort: 'ordersHealth', nodePort: 30101 }],
 *     probes: { readiness: { path: '/readyz', port: 'health' } },
 *   }],
 * });
 * ```
 */
export function defineService<const S extends ServiceSpec>(spec: S): Service<EndpointsOf<S>> {
  const subject = `service "${typeof spec?.name === 'string' ? spec.name : '?'}" (defineService)`;
  const parsed = serviceSpecSchema.safeParse(spec);
  if (!parsed.success) throw new ConfigError(configIssues(parsed.error), { subject });
  const composed = composeService(spec);
  const issues = checkComposedService(composed);
  if (issues.length > 0) throw new ConfigError(issues, { subject });
  return {
    name: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.pattern ? { pattern: spec.pattern } : {}),
    ...(spec.namespace ? { namespace: spec.namespace } : {}),
    ...(spec.cluster ? { cluster: { ...spec.cluster } } : {}),
    hostPorts: { ...spec.hostPorts },
    spec,
    declare: (context) => declareService(composed, context, createCommandRunner()),
  };
}
