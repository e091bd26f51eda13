import type { ComponentDeclaration, ImageDeclaration } from '@kubernaut-e2e/orchestrator';
import type { DeclareContext } from './definition.js';

/** A kind `extraPortMappings` entry: the node port inside the cluster, published on a host port. */
export interface PortMapping {
  readonly containerPort: number;
  readonly hostPort: number;
}

/** What a stack (or a service's own part) adds to a setup. Every field is optional; parts are concatenated. */
export interface StackParts {
  readonly images?: readonly ImageDeclaration[];
  readonly components?: readonly ComponentDeclaration[];
  /** kind port mappings for the host ports this part publishes. */
  readonly portMappings?: readonly PortMapping[];
  /** CRD sources relative to the project root: files, directories or globs (see `ServiceSpec.crds`). */
  readonly crds?: readonly string[];
  /** URLs for tests, e.g. `dataStorageUrl`. */
  readonly endpoints?: Readonly<Record<string, string>>;
}

/**
 * A reusable piece of setup several services share, e.g. DataStorage's stack (PostgreSQL, Redis, migrations,
 * DataStorage) or the auth webhook. A service lists it in `uses`; a stack another stack builds on is composed
 * once, before it.
 */
export interface ServiceStack {
  /** Names the stack in errors and in `plan`. */
  readonly name: string;
  /** Host port names the stack publishes: a service that uses it gives each one a port in `hostPorts`. */
  readonly hostPorts: readonly string[];
  /** Component ids the stack declares, so a service's `dependsOn` can be checked before anything is declared. */
  readonly provides: readonly string[];
  readonly uses?: readonly ServiceStack[];
  declare(context: DeclareContext): StackParts | Promise<StackParts>;
}

/** Identity with a type: `export const dataStorageStack = defineStack({ … })`. */
export function defineStack(stack: ServiceStack): ServiceStack {
  return stack;
}

/** The stacks in composition order: each after the stacks it uses, each once. */
export function flattenStacks(stacks: readonly ServiceStack[]): ServiceStack[] {
  const ordered: ServiceStack[] = [];
  const visit = (stack: ServiceStack) => {
    if (ordered.includes(stack)) return;
    for (const inner of stack.uses ?? []) visit(inner);
    ordered.push(stack);
  };
  for (const stack of stacks) visit(stack);
  return ordered;
}
