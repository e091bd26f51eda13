import {
  hostPortSchema,
  imageRefSchema,
  type KubeObject,
  kubeNameSchema,
  parseInput,
} from '@kubernaut-e2e/core';
import { z } from 'zod';
import {
  envSchema,
  nodePortSchema,
  portNameSchema,
  probeSchema,
  resourcesSchema,
  toProbeSpec,
} from './common-schemas.js';
import type { Container, EnvVar, PolicyRule, Volume, VolumeMount } from './kube-types.js';
import {
  appLabels,
  clusterRbacObjects,
  clusterRoleBindingInNamespace,
  deploymentObject,
  IMAGE_PULL_POLICY,
  namespacedRbacObjects,
  type ServicePortObject,
  serviceAccountObject,
  serviceObject,
} from './objects.js';

/** Where coverage-instrumented Go binaries write (`GOCOVERDIR`); kind mounts the host's directory here. */
export const COVERAGE_DIR = '/coverdata';

const policyRuleSchema = z.object({
  apiGroups: z.array(z.string()),
  resources: z.array(z.string().min(1)).min(1),
  verbs: z.array(z.string().min(1)).min(1),
  resourceNames: z.array(z.string().min(1)).optional(),
});

const servicePortSchema = z.object({
  /** Port name (referenced by probes, `nodePorts` and other services). */
  name: portNameSchema,
  /** Port the Service exposes inside the cluster. */
  port: hostPortSchema,
  /** Port the container listens on; `port` when omitted. */
  containerPort: hostPortSchema.optional(),
  protocol: z.enum(['TCP', 'UDP']).default('TCP'),
});

const keyItemsSchema = z.array(z.object({ key: z.string().min(1), path: z.string().min(1) })).min(1);

const volumeSchema = z.object({
  name: kubeNameSchema,
  mountPath: z.string().startsWith('/', 'a mountPath is absolute'),
  /** Read-only unless it is an emptyDir or a node directory. */
  readOnly: z.boolean().optional(),
  source: z.union([
    z.object({
      configMap: kubeNameSchema,
      optional: z.boolean().optional(),
      items: keyItemsSchema.optional(),
    }),
    z.object({ secret: kubeNameSchema, optional: z.boolean().optional(), items: keyItemsSchema.optional() }),
    z.object({
      projected: z
        .array(
          z.union([
            z.object({ secret: kubeNameSchema, items: keyItemsSchema.optional() }),
            z.object({ configMap: kubeNameSchema, items: keyItemsSchema.optional() }),
          ]),
        )
        .min(1),
    }),
    z.object({
      hostPath: z.string().startsWith('/', 'a hostPath is absolute'),
      type: z.enum(['Directory', 'DirectoryOrCreate']).optional(),
    }),
    z.object({ emptyDir: z.literal(true) }),
  ]),
});

const secretEnvSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  z.object({ secret: kubeNameSchema, key: z.string().min(1) }),
);

export const serviceOptionsSchema = z
  .object({
    /** Deployment, container and `app` label name. */
    name: kubeNameSchema,
    /** The container's name when it is not `name` (kubernaut's controllers call theirs `manager`). */
    containerName: kubeNameSchema.optional(),
    namespace: kubeNameSchema,
    image: imageRefSchema,
    /** Name of the Service object; `name` when omitted. */
    serviceName: kubeNameSchema.optional(),
    ports: z.array(servicePortSchema).min(1, 'a service needs at least one port'),
    env: envSchema,
    /** Environment variables read from Secret keys. */
    secretEnv: secretEnvSchema.default({}),
    /** Environment variables from the pod's own fields (`metadata.name`, `metadata.namespace`, …). */
    fieldEnv: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
        z.enum(['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.podIP']),
      )
      .default({}),
    /** A ServiceAccount that exists already (e.g. applied by a manifest): the pod runs as it; nothing is made. */
    serviceAccountName: kubeNameSchema.optional(),
    probes: z.object({ readiness: probeSchema.optional(), liveness: probeSchema.optional() }).default({}),
    /** A ServiceAccount for the pod, with namespaced `rules` (Role) and cluster-wide `clusterRules` (ClusterRole). */
    serviceAccount: z
      .object({
        name: kubeNameSchema,
        rules: z.array(policyRuleSchema).default([]),
        clusterRules: z.array(policyRuleSchema).default([]),
        /** ClusterRoles that exist already (or a manifest applies) bound to the account in the namespace. */
        clusterRoleBindings: z.array(kubeNameSchema).default([]),
      })
      .optional(),
    /** Node ports by port name; any entry makes the Service `NodePort`. */
    nodePorts: z.record(portNameSchema, nodePortSchema).default({}),
    replicas: z.int().min(0).max(50).default(1),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    resources: resourcesSchema.optional(),
    volumes: z.array(volumeSchema).default([]),
    /** Coverage-instrumented binary: sets `GOCOVERDIR=/coverdata` and mounts the node's `/coverdata`. */
    coverage: z.boolean().default(false),
    labels: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((o, ctx) => {
    const seenNames = new Set<string>();
    const seenPorts = new Map<number, number>();
    o.ports.forEach((p, i) => {
      if (seenNames.has(p.name))
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'name'],
          message: `port name "${p.name}" is used twice`,
        });
      seenNames.add(p.name);
      const first = seenPorts.get(p.port);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'port'],
          message: `port ${p.port} is already used by ports[${first}]`,
        });
      else seenPorts.set(p.port, i);
    });
    for (const key of Object.keys(o.nodePorts)) {
      if (!seenNames.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['nodePorts', key],
          message: `nodePorts names port "${key}", but the ports are: ${[...seenNames].join(', ')}`,
        });
    }
    const nodePortValues = Object.entries(o.nodePorts);
    const byValue = new Map<number, string>();
    for (const [key, value] of nodePortValues) {
      const other = byValue.get(value);
      if (other !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['nodePorts', key],
          message: `nodePort ${value} is already used by port "${other}"`,
        });
      byValue.set(value, key);
    }
    for (const name of Object.keys(o.secretEnv)) {
      if (name in o.env)
        ctx.addIssue({
          code: 'custom',
          path: ['secretEnv', name],
          message: `${name} is set in both env and secretEnv`,
        });
    }
    for (const name of Object.keys(o.fieldEnv)) {
      if (name in o.env || name in o.secretEnv)
        ctx.addIssue({ code: 'custom', path: ['fieldEnv', name], message: `${name} is set twice` });
    }
    if (o.serviceAccount && o.serviceAccountName)
      ctx.addIssue({
        code: 'custom',
        path: ['serviceAccountName'],
        message:
          'give serviceAccount (made here, with its RBAC) or serviceAccountName (an existing one), not both',
      });
  });

type VolumeSource = ResolvedServiceOptions['volumes'][number]['source'];

const withOptional = <T extends object>(
  value: T,
  optional: boolean | undefined,
  items: readonly { key: string; path: string }[] | undefined,
) => ({
  ...value,
  ...(optional === undefined ? {} : { optional }),
  ...(items === undefined ? {} : { items }),
});

/** A pod volume from the compact source form. */
function volumeObject(name: string, source: VolumeSource): Volume {
  if ('configMap' in source)
    return { name, configMap: withOptional({ name: source.configMap }, source.optional, source.items) };
  if ('secret' in source)
    return { name, secret: withOptional({ secretName: source.secret }, source.optional, source.items) };
  if ('projected' in source)
    return {
      name,
      projected: {
        sources: source.projected.map((p) =>
          'secret' in p
            ? { secret: { name: p.secret, ...(p.items ? { items: p.items } : {}) } }
            : { configMap: { name: p.configMap, ...(p.items ? { items: p.items } : {}) } },
        ),
      },
    };
  if ('hostPath' in source)
    return { name, hostPath: { path: source.hostPath, ...(source.type ? { type: source.type } : {}) } };
  return { name, emptyDir: {} };
}

/** Options of the generic service manifests (gateway, notification, authwebhook, and DataStorage underneath). */
export type ServiceOptions = z.input<typeof serviceOptionsSchema>;
export type ResolvedServiceOptions = z.output<typeof serviceOptionsSchema>;

/** Validates generic service options; throws `ConfigError` naming each bad field. */
export function parseServiceOptions(options: unknown): ResolvedServiceOptions {
  return parseInput(serviceOptionsSchema, options, 'service options');
}

/**
 * Manifests of one HTTP/gRPC service: [ServiceAccount, Role, RoleBinding, ClusterRole, ClusterRoleBinding]
 * (as requested), Service and Deployment, in the order they must be applied. Pure: validates, then
 * returns data.
 */
export function serviceManifests(options: ServiceOptions): KubeObject[] {
  return serviceManifestsFromResolved(parseServiceOptions(options));
}

/** `serviceManifests` for options that were already validated (DataStorage's manifests build on it). */
export function serviceManifestsFromResolved(o: ResolvedServiceOptions): KubeObject[] {
  const labels = appLabels(o.name, o.labels);
  const objects: KubeObject[] = [];

  if (o.serviceAccount) {
    objects.push(serviceAccountObject(o.serviceAccount.name, o.namespace, labels));
    if (o.serviceAccount.rules.length > 0)
      objects.push(
        ...namespacedRbacObjects(
          o.serviceAccount.name,
          o.namespace,
          o.serviceAccount.rules as PolicyRule[],
          labels,
        ),
      );
    if (o.serviceAccount.clusterRules.length > 0)
      objects.push(
        ...clusterRbacObjects(
          o.serviceAccount.name,
          o.namespace,
          o.serviceAccount.clusterRules as PolicyRule[],
          labels,
        ),
      );
    for (const role of o.serviceAccount.clusterRoleBindings)
      objects.push(clusterRoleBindingInNamespace(o.serviceAccount.name, o.namespace, role, labels));
  }

  const servicePorts: ServicePortObject[] = o.ports.map((p) => {
    const nodePort = o.nodePorts[p.name];
    return {
      name: p.name,
      port: p.port,
      targetPort: p.containerPort ?? p.port,
      protocol: p.protocol,
      ...(nodePort === undefined ? {} : { nodePort }),
    };
  });
  objects.push(serviceObject(o.serviceName ?? o.name, o.namespace, { app: o.name }, servicePorts, labels));

  const env: EnvVar[] = [
    ...Object.entries(o.env).map(([name, value]) => ({ name, value })),
    ...Object.entries(o.secretEnv).map(([name, ref]) => ({
      name,
      valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } },
    })),
    ...Object.entries(o.fieldEnv).map(([name, fieldPath]) => ({
      name,
      valueFrom: { fieldRef: { fieldPath } },
    })),
  ];
  const volumes: Volume[] = o.volumes.map((v) => volumeObject(v.name, v.source));
  const mounts: VolumeMount[] = o.volumes.map((v) => ({
    name: v.name,
    mountPath: v.mountPath,
    readOnly: v.readOnly ?? !('emptyDir' in v.source || 'hostPath' in v.source),
  }));
  if (o.coverage) {
    env.push({ name: 'GOCOVERDIR', value: COVERAGE_DIR });
    volumes.push({ name: 'coverage', hostPath: { path: COVERAGE_DIR, type: 'DirectoryOrCreate' } });
    mounts.push({ name: 'coverage', mountPath: COVERAGE_DIR });
  }

  const container: Container = {
    name: o.containerName ?? o.name,
    image: o.image,
    imagePullPolicy: IMAGE_PULL_POLICY,
    ...(o.command ? { command: o.command } : {}),
    ...(o.args ? { args: o.args } : {}),
    ports: o.ports.map((p) => ({
      name: p.name,
      containerPort: p.containerPort ?? p.port,
      protocol: p.protocol,
    })),
    ...(env.length > 0 ? { env } : {}),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
    ...(o.resources ? { resources: o.resources } : {}),
    ...(o.probes.readiness ? { readinessProbe: toProbeSpec(o.probes.readiness) } : {}),
    ...(o.probes.liveness ? { livenessProbe: toProbeSpec(o.probes.liveness) } : {}),
  };

  objects.push(
    deploymentObject({
      name: o.name,
      namespace: o.namespace,
      labels,
      replicas: o.replicas,
      containers: [container],
      volumes,
      ...(o.serviceAccount || o.serviceAccountName
        ? { serviceAccountName: o.serviceAccount?.name ?? o.serviceAccountName }
        : {}),
      // The node's /coverdata belongs to root; a non-root binary could not write its counters there.
      ...(o.coverage ? { securityContext: { runAsUser: 0, runAsGroup: 0 } } : {}),
    }),
  );
  return objects;
}
