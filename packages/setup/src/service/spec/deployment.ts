import { hostPortSchema, kubeNameSchema } from '@kubernaut-e2e/core';
import { failAfterRestartsSchema } from '@kubernaut-e2e/orchestrator';
import { z } from 'zod';
import { componentIdSchema, containerPath, fn, nodePortSchema } from './common.js';
import { filesSchema } from './content.js';
import type { RunContext } from './run-context.js';

/** A Kubernetes port name (IANA_SVC_NAME): what probes, `publish` and `url()` refer to. */
export const portNameSchema = z
  .string()
  .regex(
    /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/,
    'a port name is 1-15 lower-case letters, digits or "-", with a letter, starting and ending alphanumeric',
  );

const envNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'an environment variable name is letters, digits and "_", not starting with a digit',
  );

const portSchema = z.strictObject({
  name: portNameSchema,
  /** The Service's port. */
  port: hostPortSchema,
  /** The container's port; `port` when omitted. */
  containerPort: hostPortSchema.optional(),
  /** The port serves TLS: its URLs are `https://`. */
  tls: z.boolean().optional(),
  /** The Service's node port for it (the Service becomes `NodePort`); `publish` maps a host port onto it. */
  nodePort: nodePortSchema.optional(),
});

const publishSchema = z.strictObject({
  /** The name of one of the deployment's `ports`. */
  port: portNameSchema,
  /** The name of one of the service's `hostPorts`. */
  hostPort: z.string().min(1),
  /**
   * The node port kind maps the host port from: the port's own `nodePort` when omitted (a service moves it with
   * `nodePorts.<hostPort>`).
   */
  nodePort: nodePortSchema.optional(),
  /**
   * Published only when the service gives the host port a number: how a stack offers a port (DataStorage's health)
   * that only some suites map.
   */
  optional: z.boolean().optional(),
  /**
   * The endpoint's name in the handle (`http(s)://localhost:<port>`); `<hostPort>Url` when omitted; `false` for none
   * (a port that is not HTTP, whose URL `endpoints` writes, e.g. `postgresql://…`).
   */
  endpoint: z
    .union([
      z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'an endpoint name is a camelCase identifier'),
      z.literal(false),
    ])
    .optional(),
});
export type PublishSpec = z.input<typeof publishSchema>;

const probeTimings = {
  initialDelaySeconds: z.int().min(0).optional(),
  periodSeconds: z.int().min(1).optional(),
  timeoutSeconds: z.int().min(1).optional(),
  failureThreshold: z.int().min(1).optional(),
};

/** An HTTP GET of `path` on a named port (a TCP connect without `path`), or a command run in the container. */
const probeSchema = z.union([
  z.strictObject({
    /** An HTTP GET probe on this path; without it, a TCP probe. */
    path: z.string().startsWith('/', 'an HTTP probe path starts with "/"').optional(),
    /** The name of one of the deployment's `ports`. */
    port: portNameSchema,
    ...probeTimings,
  }),
  z.strictObject({ exec: z.array(z.string().min(1)).min(1, 'a command to run'), ...probeTimings }),
]);
export type ProbeSpec = z.input<typeof probeSchema>;

const policyRuleSchema = z.strictObject({
  apiGroups: z.array(z.string()),
  resources: z.array(z.string().min(1)).min(1),
  verbs: z.array(z.string().min(1)).min(1),
  resourceNames: z.array(z.string().min(1)).optional(),
});
export type PolicyRule = z.input<typeof policyRuleSchema>;

const keyItemsSchema = z.array(z.strictObject({ key: z.string().min(1), path: z.string().min(1) })).min(1);

/** Where a volume's files come from: an object the run or the cluster has, a node directory, or nothing. */
const volumeSourceSchema = z.union([
  z.strictObject({
    configMap: kubeNameSchema,
    optional: z.boolean().optional(),
    items: keyItemsSchema.optional(),
  }),
  z.strictObject({
    secret: kubeNameSchema,
    optional: z.boolean().optional(),
    items: keyItemsSchema.optional(),
  }),
  z.strictObject({
    projected: z
      .array(
        z.union([
          z.strictObject({ secret: kubeNameSchema, items: keyItemsSchema.optional() }),
          z.strictObject({ configMap: kubeNameSchema, items: keyItemsSchema.optional() }),
        ]),
      )
      .min(1),
  }),
  z.strictObject({
    /** A directory of the kind node (kind's `extraMounts` put host directories there). */
    hostPath: containerPath,
    type: z.enum(['Directory', 'DirectoryOrCreate']).optional(),
  }),
  z.strictObject({ emptyDir: z.literal(true) }),
]);

const volumeSchema = z.strictObject({
  name: kubeNameSchema,
  mountPath: containerPath,
  /** Read-only unless it is an emptyDir or a host directory. */
  readOnly: z.boolean().optional(),
  source: volumeSourceSchema,
});
export type VolumeSpec = z.input<typeof volumeSchema>;

/** A ConfigMap of config files made for this deployment and mounted at `mountPath`. */
const configFileSchema = z.strictObject({
  /** The ConfigMap's name, e.g. `gateway-config`. */
  name: kubeNameSchema,
  /** The directory the files appear in, e.g. `/etc/gateway` (the binary reads `/etc/gateway/config.yaml`). */
  mountPath: containerPath,
  files: filesSchema,
});
export type ConfigFileSpec = z.input<typeof configFileSchema>;

const argsSchema = z.union([z.array(z.string()), fn<(run: RunContext) => string[]>()]);

const cpu = z.string().regex(/^\d+(\.\d+)?m?$/, 'CPU is cores or millicores, e.g. "250m" or "1"');
const memory = z.string().regex(/^\d+(Ei|Pi|Ti|Gi|Mi|Ki|E|P|T|G|M|k)?$/, 'memory such as "256Mi"');
const resourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: cpu.optional(), memory: memory.optional() }).optional(),
  limits: z.strictObject({ cpu: cpu.optional(), memory: memory.optional() }).optional(),
});

/**
 * A Deployment with its Service, config files, ServiceAccount and RBAC, as data: what kubernaut's suites apply for
 * each of its binaries.
 */
export const deploymentSchema = z.strictObject({
  /** Component id: the Deployment's and container's name, and what `dependsOn` and `url()` name. */
  id: componentIdSchema,
  /** Id of an image in `images` (built by the run, or a reference the node pulls). */
  image: z.string().min(1),
  /** The Service's name when it is not the id (`data-storage-service`). */
  serviceName: kubeNameSchema.optional(),
  /** Component ids that must be ready (or applied, for manifests and seeds) first. */
  dependsOn: z.array(z.string().min(1)).optional(),
  command: argsSchema.optional(),
  args: argsSchema.optional(),
  env: z
    .union([z.record(envNameSchema, z.string()), fn<(run: RunContext) => Record<string, string>>()])
    .optional(),
  /** Environment variables from the pod's own fields, e.g. `{ POD_NAME: 'metadata.name' }`. */
  fieldEnv: z
    .record(envNameSchema, z.enum(['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.podIP']))
    .optional(),
  /** Environment variables read from Secret keys. */
  secretEnv: z
    .record(envNameSchema, z.strictObject({ secret: kubeNameSchema, key: z.string().min(1) }))
    .optional(),
  ports: z.array(portSchema).min(1, 'a deployment needs at least one port'),
  /**
   * Ports published on the host through node ports. The first is where the component is probed from the host when
   * its readiness probe's port is not published itself.
   */
  publish: z
    .union([publishSchema, z.array(publishSchema).min(1, 'publish at least one port, or leave it out')])
    .optional(),
  configFiles: z.array(configFileSchema).optional(),
  volumes: z.array(volumeSchema).optional(),
  probes: z.strictObject({ readiness: probeSchema.optional(), liveness: probeSchema.optional() }).optional(),
  /**
   * The ServiceAccount the pod runs as. With RBAC below it is made here (named after the id when omitted); without,
   * it must be one the run applies (e.g. from a manifest).
   */
  serviceAccount: kubeNameSchema.optional(),
  /** The container's name when it is not the id (kubernaut's controllers call theirs `manager`). */
  containerName: kubeNameSchema.optional(),
  /** Namespaced rules (a Role and RoleBinding for the ServiceAccount). */
  rules: z.array(policyRuleSchema).optional(),
  /** Cluster-wide rules (a ClusterRole and ClusterRoleBinding). */
  clusterRules: z.array(policyRuleSchema).optional(),
  /** ClusterRoles that exist already (or that a manifest applies) bound to the ServiceAccount in the namespace. */
  clusterRoleBindings: z.array(kubeNameSchema).optional(),
  resources: resourcesSchema.optional(),
  /**
   * Restarts after which a crash-looping container fails the rollout wait (the kubelet waits 10 s, 20 s, 40 s…
   * between them); unset, the project's `defaults.failAfterRestarts`, else 2. Raise it for a binary that crashes
   * until something it needs comes up.
   */
  failAfterRestarts: failAfterRestartsSchema.optional(),
});
export type DeploymentSpec = z.input<typeof deploymentSchema>;

/** A deployment's published ports as a list (`publish` may be one or several). */
export function publishedPorts(deployment: {
  readonly publish?: PublishSpec | readonly PublishSpec[];
}): readonly PublishSpec[] {
  const { publish } = deployment;
  if (publish === undefined) return [];
  return Array.isArray(publish) ? publish : [publish as PublishSpec];
}

/** The ports a deployment publishes in a service that names these host ports (optional ones only when named). */
export function publishedIn(
  deployment: DeploymentSpec,
  hostPorts: Readonly<Record<string, number>>,
): readonly PublishSpec[] {
  return publishedPorts(deployment).filter((p) => !p.optional || p.hostPort in hostPorts);
}

/**
 * The Service's node ports by port name: each port's own `nodePort`, a published port's `nodePort`, and a node port
 * the service moved for that host port (`nodePorts.<hostPort>`), in that order of precedence (last wins).
 */
export function nodePortsOf(
  deployment: DeploymentSpec,
  hostPorts: Readonly<Record<string, number>>,
  moved: Readonly<Record<string, number>>,
): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const p of deployment.ports) if (p.nodePort !== undefined) ports[p.name] = p.nodePort;
  for (const p of publishedIn(deployment, hostPorts)) {
    const nodePort = moved[p.hostPort] ?? p.nodePort ?? ports[p.port];
    if (nodePort !== undefined) ports[p.port] = nodePort;
  }
  return ports;
}
