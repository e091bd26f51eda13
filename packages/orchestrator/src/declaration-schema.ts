import { ConfigError, type ConfigIssue } from '@kubernaut-e2e/core';
import { z } from 'zod';
import type { ServiceDeclaration } from './declaration.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = (what: string) =>
  z
    .string()
    .max(63, `${what} must be at most 63 characters`)
    .regex(
      DNS_LABEL,
      `${what} must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );

/** `registry/path:tag` or `…@sha256:<64 hex>`; a floating `:latest` is not pinned. */
const PINNED_REF =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;
const pinnedRef = z
  .string()
  .regex(
    PINNED_REF,
    'an external image must be a full reference with a tag or digest, e.g. docker.io/library/postgres:16.4',
  )
  .refine((ref) => !ref.endsWith(':latest'), 'an external image must be pinned; `:latest` changes under you');

const resourceRef = z
  .string()
  .regex(
    /^[a-z][a-z0-9.]*\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    'must be `kind/name`, e.g. deployment/postgresql',
  );

const isFunction = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `${what} must be a function`);

const labels = z.record(z.string(), z.string());

/** Restarts of a crash-looping container before a rollout wait gives up on it: a whole number from 1 up. */
export const failAfterRestartsSchema = z
  .number({ message: 'failAfterRestarts must be a number of restarts, e.g. 2' })
  .int('failAfterRestarts must be a whole number of restarts, e.g. 2')
  .min(1, 'failAfterRestarts must be at least 1 (a container that crashed once may have raced a dependency)');

const deploySchema = z.object({
  id: dnsLabel('a component id'),
  kind: z.literal('deploy'),
  images: z.array(z.string().min(1)),
  dependsOn: z.array(z.string().min(1)),
  manifests: isFunction('manifests'),
  rollout: z.array(resourceRef),
  readiness: z
    .object({
      probe: z.union([
        z.object({
          kind: z.literal('http'),
          url: z.url(),
          expectStatus: z.array(z.number().int()).optional(),
        }),
        z.object({
          kind: z.literal('tcp'),
          host: z.string().min(1),
          port: z.number().int().min(1).max(65535),
        }),
      ]),
      options: z.object({
        timeoutMs: z.number().positive(),
        attemptTimeoutMs: z.number().positive().optional(),
        intervalMs: z.number().nonnegative().optional(),
      }),
    })
    .optional(),
  afterApply: isFunction('afterApply').optional(),
  rolloutTimeoutMs: z.number().positive().optional(),
  failAfterRestarts: failAfterRestartsSchema.optional(),
});

const migrateSchema = z.object({
  id: dnsLabel('a component id'),
  kind: z.literal('migrate'),
  dependsOn: z.array(z.string().min(1)),
  directory: z.string().min(1, 'directory must name the migrations directory'),
  database: z.object({ database: z.string().min(1), user: z.string().min(1), password: z.string() }),
  via: z.object({
    namespace: dnsLabel('via.namespace'),
    target: resourceRef,
    remotePort: z.number().int().min(1).max(65535),
  }),
});

const applySchema = z.object({
  id: dnsLabel('a component id'),
  kind: z.enum(['manifests', 'seed']),
  dependsOn: z.array(z.string().min(1)),
  images: z.array(z.string().min(1)).optional(),
  objects: isFunction('objects'),
  summary: z.string().optional(),
  statusKinds: z.array(z.string().min(1)).optional(),
});

const imageId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'an image id must be lower-case letters, digits and -');

const declarationSchema = z.object({
  service: dnsLabel('service'),
  images: z.array(
    z.union([
      z.object({
        id: imageId,
        build: z.looseObject({ serviceName: z.string().min(1), imageName: z.string().min(1) }),
        buildOnly: z.boolean().optional(),
      }),
      z.object({ id: imageId, ref: pinnedRef }),
    ]),
  ),
  cluster: z.object({
    name: dnsLabel('cluster.name').max(50, 'cluster.name must be at most 50 characters (kind adds suffixes)'),
    kubeconfigPath: z
      .string()
      .min(1, 'cluster.kubeconfigPath must name the file the kubeconfig is written to'),
    config: z.unknown().optional(),
    ifExists: z.enum(['fail', 'reuse', 'recreate']).optional(),
  }),
  crds: z
    .array(
      z.looseObject({
        apiVersion: z.string().min(1),
        kind: z.literal('CustomResourceDefinition', 'crds may only hold CustomResourceDefinition objects'),
        metadata: z.looseObject({ name: z.string().min(1) }),
      }),
    )
    .optional(),
  namespace: z.object({ name: dnsLabel('namespace.name'), labels: labels.optional() }),
  components: z.array(z.discriminatedUnion('kind', [deploySchema, migrateSchema, applySchema])),
});

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * Checks the data shape of a declaration (names, references, functions where functions belong) and
 * throws a `ConfigError` naming every bad field. Graph problems (cycles, unknown ids) are `PlanError`s
 * raised by `planSetup`.
 */
export function assertDeclarationShape(value: unknown): asserts value is ServiceDeclaration {
  const result = declarationSchema.safeParse(value);
  if (result.success) return;
  const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  throw new ConfigError(issues, { subject: 'service declaration' });
}
