import type { Stack } from './stack.js';

type Items<T> = T extends readonly (infer X)[] ? X : T;
type EndpointOfPublish<P> = P extends { readonly endpoint: false }
  ? never
  : P extends { readonly endpoint: infer E extends string }
    ? E
    : P extends { readonly hostPort: infer H extends string }
      ? `${H}Url`
      : never;
type DeploymentEndpoints<D> = D extends { readonly publish: infer P } ? EndpointOfPublish<Items<P>> : never;
type StackEndpoints<U> = Items<U> extends Stack<infer E> ? E : never;

/**
 * The endpoint names a spec gives a handle, as types: each published port's (`endpoint`, else `<hostPort>Url`), the
 * keys `endpoints` returns, and the endpoints of the stacks it uses. `string` when the spec is not a literal.
 */
export type EndpointsOf<S> =
  | (S extends { readonly deployments: infer D } ? DeploymentEndpoints<Items<D>> : never)
  | (S extends { readonly endpoints: (...args: never[]) => infer R } ? Extract<keyof R, string> : never)
  | (S extends { readonly uses: infer U } ? StackEndpoints<U> : never);
