import { hostPortSchema, kubeNameSchema } from '@kubernaut-e2e/core';
import { type ComponentDeclaration, PATTERNS, type Pattern } from '@kubernaut-e2e/orchestrator';
import { z } from 'zod';
import type { DeclareContext } from './definition.js';
import type { ServiceStack } from './stack.js';

/** One RBAC rule, as a ClusterRole writes it. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** An image the service builds, as the seed's `E2EImageConfig` describes it. */
export interface ImageSpec {
  /** Dockerfile relative to the project root, e.g. `docker/gateway.Dockerfile`. */
  readonly dockerfile: string;
  /** Repository without registry or tag; `kubernaut/<image id>` when omitted. */
  readonly imageName?: string;
  /** Build context relative to the project root; the root when omitted. */
  readonly context?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
}

/**
 * A Deployment with a Service, described as data: what a project config writes for a service that needs nothing
 * more than an image, ports, environment and a readiness path.
 */
export interface DeploymentSpec {
  /** Component id, Deployment and Service name. */
  readonly id: string;
  /** Id of an image in the service's `images`. */
  readonly image: string;
  /** Component ids that must be ready first: the stacks' (`datastorage`, `postgresql`, `redis`, …) or other deployments'. */
  readonly dependsOn?: readonly string[];
  readonly ports: readonly {
    readonly name: string;
    readonly port: number;
    readonly containerPort?: number;
  }[];
  /**
   * Publishes ports on the host through node ports: the port's name, the host port's name and the node port. The
   * first is the deployment's endpoint (`<id>Url`) and where `readyPath` is probed from the host; each further one
   * adds `<id><Port>Url` (e.g. `aianalysisMetricsUrl`).
   */
  readonly publish?: PublishSpec | readonly PublishSpec[];
  readonly env?: Readonly<Record<string, string>> | ((context: DeclareContext) => Record<string, string>);
  /** HTTP path answered when ready: probed in the pod, and from the host when the port is published. */
  readonly readyPath?: string;
  /** Cluster-wide RBAC rules for the Deployment's ServiceAccount. */
  readonly clusterRules?: readonly PolicyRule[];
}

/** One port of a deployment published on the host: `localhost:<hostPorts[hostPort]>` → node port → `port`. */
export interface PublishSpec {
  /** The name of one of the deployment's `ports`. */
  readonly port: string;
  /** The name of one of the service's `hostPorts`. */
  readonly hostPort: string;
  readonly nodePort: number;
}

/** A deployment's published ports as a list (`publish` may be one or several). */
export function publishedPorts(deployment: DeploymentSpec): readonly PublishSpec[] {
  const { publish } = deployment;
  if (publish === undefined) return [];
  return 'port' in publish ? [publish as PublishSpec] : (publish as readonly PublishSpec[]);
}

/** What `defineService` takes. */
export interface ServiceSpec {
  /** `gateway`, `orders`, …: a DNS label; the CLI's service name. */
  readonly name: string;
  readonly description?: string;
  /** The ordering this service has migrated to (`dag` when omitted). */
  readonly pattern?: Pattern;
  /**
   * Namespace everything is deployed into; `kubernaut-system` when omitted. Some kubernaut suites use their own
   * (`datastorage-e2e`, `notification-e2e`, `authwebhook-e2e`), and their tests look there.
   */
  readonly namespace?: string;
  /**
   * The repository's own kind config for this suite, relative to the project root, e.g.
   * `test/infrastructure/kind-gateway-config.yaml`. It is read as kind reads it (strictly; a relative `hostPath`
   * against the project root) and the port mappings and mounts the setup needs are merged in; `plan` says what
   * changed. Omitted: the setup builds a one-node config publishing the host ports. A project config can
   * override it per service (`overrides.<service>.kindConfig`, or `false` for the built one).
   */
  readonly kindConfig?: string;
  /** Reusable stacks this service builds on, e.g. `[dataStorageStack]`. */
  readonly uses?: readonly ServiceStack[];
  /** Every host port the setup publishes, by name, including those its stacks need. */
  readonly hostPorts: Readonly<Record<string, number>>;
  /**
   * Host port name → the node port kind publishes it from: for ports the service's own `components` expose, and
   * to move a stack's node port (e.g. `datastorage: 30090` where a suite runs DataStorage on that node port).
   */
  readonly nodePorts?: Readonly<Record<string, number>>;
  readonly images?: Readonly<Record<string, ImageSpec>>;
  /**
   * CRD sources relative to the project root: files (`config/crd/bases/kubernaut.ai_remediationrequests.yaml`),
   * directories (`config/crd/bases`: its `*.yaml`, not recursive) or globs (`config/crd/bases/kubernaut.ai_*.yaml`).
   * Added to the stacks' own; each file is installed once.
   */
  readonly crds?: readonly string[];
  /** Deployments described as data (see `DeploymentSpec`). */
  readonly deployments?: readonly DeploymentSpec[];
  /** Components written in full, for what `deployments` cannot say (webhook TLS, custom manifests). */
  readonly components?: (
    context: DeclareContext,
  ) => readonly ComponentDeclaration[] | Promise<readonly ComponentDeclaration[]>;
  /** URLs for tests besides the stacks' (each published deployment adds `<id>Url`). */
  readonly endpoints?: (context: DeclareContext) => Readonly<Record<string, string>>;
}

const nodePortSchema = z
  .number()
  .int()
  .min(30000, 'a node port is in 30000-32767')
  .max(32767, 'a node port is in 30000-32767');
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/'), 'a path relative to the project root');
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'a function');
const stack = z.custom<ServiceStack>(
  (v) => typeof v === 'object' && v !== null && typeof (v as ServiceStack).declare === 'function',
  'a stack made with defineStack',
);

const publishSchema = z.strictObject({
  port: z.string().min(1),
  hostPort: z.string().min(1),
  nodePort: nodePortSchema,
});

const deploymentSchema = z.strictObject({
  id: kubeNameSchema,
  image: z.string().min(1),
  dependsOn: z.array(z.string().min(1)).optional(),
  ports: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        port: hostPortSchema,
        containerPort: hostPortSchema.optional(),
      }),
    )
    .min(1, 'a deployment needs at least one port'),
  publish: z
    .union([publishSchema, z.array(publishSchema).min(1, 'publish at least one port, or leave it out')])
    .optional(),
  env: z.union([z.record(z.string(), z.string()), fn]).optional(),
  readyPath: z.string().startsWith('/', 'a path such as /readyz').optional(),
  clusterRules: z.array(z.unknown()).optional(),
});

/** The shape of a `ServiceSpec`; cross-field rules are checked by `checkServiceSpec`. */
export const serviceSpecSchema = z.strictObject({
  name: kubeNameSchema,
  description: z.string().optional(),
  pattern: z.enum(PATTERNS).optional(),
  namespace: kubeNameSchema.optional(),
  kindConfig: relativePath.optional(),
  uses: z.array(stack).optional(),
  hostPorts: z.record(z.string().min(1), hostPortSchema),
  nodePorts: z.record(z.string().min(1), nodePortSchema).optional(),
  images: z
    .record(
      kubeNameSchema,
      z.strictObject({
        dockerfile: relativePath,
        imageName: z.string().min(1).optional(),
        context: relativePath.optional(),
        buildArgs: z.record(z.string(), z.string()).optional(),
      }),
    )
    .optional(),
  crds: z.array(relativePath).optional(),
  deployments: z.array(deploymentSchema).optional(),
  components: fn.optional(),
  endpoints: fn.optional(),
});
