/**
 * `@kubernaut-e2e/core/zod`: the zod that core's bundle carries. The other packages' bundles import zod from here
 * (their builds rewrite `import … from 'zod'` to this subpath), so a process holds one zod, and schemas made in
 * different packages compose and share one configuration (`interpretSchemas`). Not for users: import `zod`.
 */
export * from 'zod';
export { z as default } from 'zod';
