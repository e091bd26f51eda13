import { type KubeObject, kubeNameSchema } from '@kubernaut-e2e/core';
import type { StepValues } from '@kubernaut-e2e/orchestrator';
import { z } from 'zod';
import { componentIdSchema, fn, relativePath } from './common.js';
import { filesSchema } from './content.js';
import { deploymentSchema } from './deployment.js';
import type { RunContext } from './run-context.js';

/** An image the run builds from a Dockerfile of the project. */
const builtImageSchema = z
  .strictObject({
    /** Dockerfile relative to the project root, e.g. `docker/gateway.Dockerfile`. */
    dockerfile: relativePath,
    /** Repository without registry or tag; `kubernaut/<image id>` when omitted. */
    imageName: z.string().min(1).optional(),
    /** Build context relative to the project root; the root when omitted. */
    context: relativePath.optional(),
    buildArgs: z.record(z.string(), z.string()).optional(),
    /** Built and kept, never loaded or run (e.g. `db-migrate`, `must-gather` images a suite only builds). */
    buildOnly: z.boolean().optional(),
    /**
     * Loaded into the nodes though no declared pod runs it: what the suite's tests, or something the declaration
     * cannot express (a Helm chart), start later.
     */
    preload: z.literal(true).optional(),
  })
  .refine((image) => !(image.buildOnly && image.preload), {
    message: 'an image is buildOnly (never loaded) or preload (loaded for pods started later), not both',
    path: ['preload'],
  });

/** `registry/path:tag` or `…@sha256:<64 hex>`; a floating `:latest` is not pinned. */
const PINNED_REF =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;

/** An image the run does not build: the local engine's copy is loaded into kind when it has one, else the node pulls it. */
const externalImageSchema = z.strictObject({
  /** Loaded (or pulled) though no declared pod runs it, e.g. for pods the suite's tests create. */
  preload: z.literal(true).optional(),
  ref: z
    .string()
    .regex(PINNED_REF, 'a full reference with a tag or digest, e.g. docker.io/library/postgres:16-alpine')
    .refine((ref) => !ref.endsWith(':latest'), 'a pinned reference; `:latest` changes under you'),
});

export const imageSchema = z.union([builtImageSchema, externalImageSchema]);
export type ImageSpec = z.input<typeof imageSchema>;

/** A certificate the run makes in process and puts in a `kubernetes.io/tls` Secret. */
const certificateSchema = z.union([
  z.strictObject({
    /** The Secret (`tls.crt`, `tls.key`, `ca.crt`), e.g. `datastorage-tls`. */
    secret: kubeNameSchema,
    /**
     * A serving certificate for this component's Service, signed by the run's CA: its SANs are `localhost`,
     * `127.0.0.1` and the Service's four DNS names (kubernaut's `GenerateInterServiceTLS`).
     */
    serves: componentIdSchema,
  }),
  z.strictObject({
    secret: kubeNameSchema,
    /** A self-signed certificate, e.g. DataStorage's audit signing certificate. */
    selfSigned: z.strictObject({
      commonName: z.string().min(1),
      dnsNames: z.array(z.string().min(1)).optional(),
      keyAlgorithm: z.enum(['ecdsa-p256', 'rsa-2048']).optional(),
    }),
  }),
]);
export type CertificateSpec = z.input<typeof certificateSchema>;

const secretSchema = z.strictObject({
  name: kubeNameSchema,
  /** Key → content (`{ text }`, `{ yaml }` or a repository `{ file }`). */
  files: filesSchema,
});
export type SecretSpec = z.input<typeof secretSchema>;

const configMapSchema = z.strictObject({ name: kubeNameSchema, files: filesSchema });
export type ConfigMapSpec = z.input<typeof configMapSchema>;

/** goose migrations applied through a port-forward to a component (PostgreSQL) that must be ready first. */
const migrationSchema = z.strictObject({
  id: componentIdSchema,
  /** The migrations directory relative to the project root, e.g. `migrations`. */
  directory: relativePath,
  /** The component whose Service the port-forward targets. */
  via: componentIdSchema,
  /** The port on that Service; 5432 when omitted. */
  port: z.number().int().min(1).max(65535).optional(),
  database: z.strictObject({ database: z.string().min(1), user: z.string().min(1), password: z.string() }),
  dependsOn: z.array(z.string().min(1)).optional(),
});
export type MigrationSpec = z.input<typeof migrationSchema>;

/**
 * Objects applied as they are: repository YAML (`from`: a file, a directory of `*.yaml`, not recursive, or a kustomize
 * directory, rendered with `kubectl kustomize`, which needs no cluster) or objects written here (`objects`, e.g. a
 * suite's webhook configurations, with the run's CA as their `caBundle`).
 */
const manifestSchema = z.union([
  z.strictObject({
    id: componentIdSchema,
    /** Paths relative to the project root. */
    from: z.union([relativePath, z.array(relativePath).min(1)]),
    /** Namespaced objects go into the run's namespace (whatever namespace the file names); default true. */
    namespaced: z.boolean().optional(),
    /** Only objects of these kinds (e.g. `['ClusterRole']` of a file that also holds bindings for other suites). */
    kinds: z.array(z.string().min(1)).min(1).optional(),
    /** Image references to replace: the file's image name → an image id of `images`. */
    images: z.record(z.string().min(1), z.string().min(1)).optional(),
    dependsOn: z.array(z.string().min(1)).optional(),
  }),
  z.strictObject({
    id: componentIdSchema,
    objects: z.union([
      z.array(z.custom<KubeObject>((v) => typeof v === 'object' && v !== null, 'a Kubernetes object')).min(1),
      fn<(run: RunContext) => KubeObject[]>(),
    ]),
    /**
     * Namespaced objects that name no namespace go into the run's (default); `true` moves every namespaced object
     * there, `false` none (objects for another namespace, e.g. a workflow execution namespace).
     */
    namespaced: z.boolean().optional(),
    dependsOn: z.array(z.string().min(1)).optional(),
  }),
]);
export type ManifestSpec = z.input<typeof manifestSchema>;

/** Resources applied once what they depend on is ready, e.g. the ActionTypes DataStorage's catalog needs. */
const seedSchema = z.strictObject({
  id: componentIdSchema,
  dependsOn: z.array(z.string().min(1)).min(1, 'a seed depends on the component that must be ready first'),
  /** The objects; a function receives the run and what earlier steps produced (image references, the CA). */
  objects: z.union([
    z.array(z.custom<KubeObject>((v) => typeof v === 'object' && v !== null, 'a Kubernetes object')),
    fn<(run: RunContext, values: StepValues) => KubeObject[]>(),
  ]),
});
export type SeedSpec = z.input<typeof seedSchema>;

/** What a service or a stack declares besides its identity: every part is optional and parts are concatenated. */
export const partsShape = {
  images: z.record(componentIdSchema, imageSchema).optional(),
  /**
   * CRD sources relative to the project root: files, directories (their `*.yaml`, not recursive) or globs. Each file
   * is installed once.
   */
  crds: z.array(relativePath).optional(),
  certificates: z.array(certificateSchema).optional(),
  secrets: z.array(secretSchema).optional(),
  /** ConfigMaps not tied to one deployment (e.g. Rego policies), mounted through a deployment's `volumes`. */
  configMaps: z.array(configMapSchema).optional(),
  deployments: z.array(deploymentSchema).optional(),
  migrations: z.array(migrationSchema).optional(),
  manifests: z.array(manifestSchema).optional(),
  seeds: z.array(seedSchema).optional(),
  /** URLs for tests besides the published ports' (each published port adds `<hostPort>Url`). */
  endpoints: fn<(run: RunContext) => Record<string, string>>().optional(),
};
