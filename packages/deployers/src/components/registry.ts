import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ConfigError,
  type ConfigIssue,
  hostPortSchema,
  type KubeClient,
  kubeNameSchema,
  type MigrationReport,
  type Migrator,
  type OperationContext,
  parseInput,
} from '@kubernaut-e2e/core';
import { z } from 'zod';
import { namespaceSchema } from '../manifests/common-schemas.js';
import { serviceOptionsSchema } from '../manifests/service-manifests.js';
import { migrateThroughPortForward } from '../migrations/migrate-through-port-forward.js';
import { type DatastorageEndpoint, datastorageOptionsSchema, deployDataStorage } from './datastorage.js';
import { deployPostgreSQL, type PostgresqlEndpoint, postgresqlOptionsSchema } from './postgresql.js';
import { deployRedis, type RedisEndpoint, redisOptionsSchema } from './redis.js';
import { deployService, type ServiceEndpoint } from './service.js';

/** Every component the deployers know, by the `kind` a component spec names. */
export const componentKinds = ['postgresql', 'redis', 'migrations', 'datastorage', 'service'] as const;
export type ComponentKind = (typeof componentKinds)[number];

export const migrationsComponentSchema = z.object({
  namespace: namespaceSchema,
  /** PostgreSQL Service to port-forward to. */
  service: kubeNameSchema.default('postgresql'),
  remotePort: hostPortSchema.default(5432),
  /** Folder of goose `NNNNN_name.sql` files. */
  directory: z.string().min(1, 'directory is the folder holding the NNNNN_name.sql files'),
  database: z.string().min(1).default('action_history'),
  user: z.string().min(1).default('slm_user'),
  password: z.string().min(1).default('test_password'),
});

/** A component spec: one of the component option objects plus its `kind`. */
export const componentSpecSchema = z.discriminatedUnion('kind', [
  postgresqlOptionsSchema.extend({ kind: z.literal('postgresql') }),
  redisOptionsSchema.extend({ kind: z.literal('redis') }),
  migrationsComponentSchema.extend({ kind: z.literal('migrations') }),
  datastorageOptionsSchema.safeExtend({ kind: z.literal('datastorage') }),
  serviceOptionsSchema.safeExtend({ kind: z.literal('service') }),
]);
export type ComponentSpec = z.input<typeof componentSpecSchema>;
export type ResolvedComponentSpec = z.output<typeof componentSpecSchema>;

function kindIssue(value: unknown, path: string): ConfigIssue | undefined {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (typeof kind === 'string' && (componentKinds as readonly string[]).includes(kind)) return undefined;
  const shown = kind === undefined ? 'no kind' : `unknown component kind ${JSON.stringify(kind)}`;
  return { path, message: `${shown}; allowed: ${componentKinds.join(', ')}` };
}

/** Node ports a resolved spec pins, with the field each comes from. */
function nodePortsOf(spec: ResolvedComponentSpec): { port: number; field: string }[] {
  switch (spec.kind) {
    case 'postgresql':
    case 'redis':
      return spec.nodePort === null ? [] : [{ port: spec.nodePort, field: 'nodePort' }];
    case 'datastorage':
      return spec.nodePort === null ? [] : [{ port: spec.nodePort, field: 'nodePort' }];
    case 'service':
      return Object.entries(spec.nodePorts).map(([name, port]) => ({ port, field: `nodePorts.${name}` }));
    case 'migrations':
      return [];
  }
}

/**
 * Validates a list of component specs (e.g. from a service declaration or the CLI's config file) before
 * anything runs: each `kind` must be one of `componentKinds`, each spec's options must parse, no node
 * port may be pinned twice across the list, and a migrations directory must exist. Every problem is
 * reported in one `ConfigError`, each with its path (`components[2].nodePort`).
 */
export function parseComponents(specs: readonly unknown[], path = 'components'): ResolvedComponentSpec[] {
  const issues: ConfigIssue[] = [];
  const parsed: { spec: ResolvedComponentSpec; at: string }[] = [];
  specs.forEach((raw, i) => {
    const at = `${path}[${i}]`;
    const bad = kindIssue(raw, `${at}.kind`);
    if (bad) {
      issues.push(bad);
      return;
    }
    try {
      parsed.push({ spec: parseInput(componentSpecSchema, raw, `component ${at}`), at });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(
        ...error.issues.map((issue) => ({
          ...issue,
          path: !issue.path ? at : issue.path.startsWith('[') ? `${at}${issue.path}` : `${at}.${issue.path}`,
        })),
      );
    }
  });

  const owners = new Map<number, string>();
  for (const { spec, at } of parsed) {
    for (const { port, field } of nodePortsOf(spec)) {
      const here = `${at}.${field}`;
      const owner = owners.get(port);
      if (owner) issues.push({ path: here, message: `node port ${port} is already used by ${owner}` });
      else owners.set(port, here);
    }
    if (spec.kind === 'migrations') {
      const dir = resolve(spec.directory);
      const info = statSync(dir, { throwIfNoEntry: false });
      if (!info?.isDirectory())
        issues.push({
          path: `${at}.directory`,
          message: `migration directory ${dir} ${info ? 'is not a directory' : 'does not exist'}`,
        });
    }
  }

  if (issues.length > 0) throw new ConfigError(issues, { subject: 'components' });
  return parsed.map((p) => p.spec);
}

export type ComponentResult =
  | { readonly kind: 'postgresql'; readonly endpoint: PostgresqlEndpoint }
  | { readonly kind: 'redis'; readonly endpoint: RedisEndpoint }
  | { readonly kind: 'migrations'; readonly report: MigrationReport }
  | { readonly kind: 'datastorage'; readonly endpoint: DatastorageEndpoint }
  | { readonly kind: 'service'; readonly endpoint: ServiceEndpoint };

/** Deploys one validated component (what an orchestrator step calls). */
export async function deployComponent(
  kube: KubeClient,
  spec: ResolvedComponentSpec,
  ctx?: OperationContext & { readonly migrator?: Migrator },
): Promise<ComponentResult> {
  switch (spec.kind) {
    case 'postgresql': {
      const { kind, ...options } = spec;
      return { kind, endpoint: await deployPostgreSQL(kube, options, ctx) };
    }
    case 'redis': {
      const { kind, ...options } = spec;
      return { kind, endpoint: await deployRedis(kube, options, ctx) };
    }
    case 'migrations': {
      const report = await migrateThroughPortForward(
        kube,
        { namespace: spec.namespace, service: spec.service, remotePort: spec.remotePort },
        { database: spec.database, user: spec.user, password: spec.password },
        spec.directory,
        ctx,
      );
      return { kind: 'migrations', report };
    }
    case 'datastorage': {
      const { kind, ...options } = spec;
      return { kind, endpoint: await deployDataStorage(kube, options, ctx) };
    }
    case 'service': {
      const { kind, ...options } = spec;
      return { kind, endpoint: await deployService(kube, options, ctx) };
    }
  }
}
