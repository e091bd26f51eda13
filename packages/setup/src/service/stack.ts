import { ConfigError, configIssues } from '@kubernaut-e2e/core';
import type { EndpointsOf } from './endpoints.js';
import { publishedPorts } from './spec/deployment.js';
import { type StackSpec, stackSpecSchema } from './spec/service.js';

/**
 * A reusable part several services build on, e.g. DataStorage's stack (PostgreSQL, Redis, the migrations and
 * DataStorage) or the auth webhook. A service lists it in `uses`; a stack another stack builds on is composed once,
 * before it. Write one with `defineStack`.
 */
export interface Stack<E extends string = string> {
  readonly kind: 'stack';
  readonly name: string;
  readonly spec: StackSpec;
  readonly uses: readonly Stack[];
  /** Host port names its deployments publish: a service that uses it gives each one a port in `hostPorts`. */
  readonly hostPorts: readonly string[];
  /** Component ids it declares, so a service's `dependsOn` can name them. */
  readonly provides: readonly string[];
  /** The endpoint names the stack adds to a handle (types only). */
  readonly endpointNames?: readonly E[];
}

/**
 * Checks a stack's spec and returns it as a `Stack`:
 *
 * ```ts
 * export const cacheStack = defineStack({
 *   name: 'cache',
 *   images: { redis: { ref: 'docker.io/library/redis:7-alpine' } },
 *   deployments: [{ id: 'redis', image: 'redis', ports: [{ name: 'redis', port: 6379 }] }],
 * });
 * ```
 */
export function defineStack<const S extends StackSpec>(spec: S): Stack<EndpointsOf<S>> {
  const parsed = stackSpecSchema.safeParse(spec);
  const subject = `stack "${typeof spec?.name === 'string' ? spec.name : '?'}" (defineStack)`;
  if (!parsed.success) throw new ConfigError(configIssues(parsed.error), { subject });
  const deployments = spec.deployments ?? [];
  return {
    kind: 'stack',
    name: spec.name,
    spec,
    uses: [...(spec.uses ?? [])],
    hostPorts: [
      ...new Set(
        deployments.flatMap((d) =>
          publishedPorts(d)
            .filter((p) => !p.optional)
            .map((p) => p.hostPort),
        ),
      ),
    ],
    provides: componentIds(spec),
  };
}

/** The component ids a spec's parts declare: deployments, migrations, manifests and seeds. */
export function componentIds(spec: StackSpec | Omit<StackSpec, 'name'>): string[] {
  return [
    ...(spec.deployments ?? []).map((d) => d.id),
    ...(spec.migrations ?? []).map((m) => m.id),
    ...(spec.manifests ?? []).map((m) => m.id),
    ...(spec.seeds ?? []).map((s) => s.id),
  ];
}

/** The stacks in composition order: each after the stacks it uses, each once. */
export function flattenStacks(stacks: readonly Stack[]): Stack[] {
  const ordered: Stack[] = [];
  const visit = (stack: Stack) => {
    if (ordered.includes(stack)) return;
    for (const inner of stack.uses) visit(inner);
    ordered.push(stack);
  };
  for (const stack of stacks) visit(stack);
  return ordered;
}
