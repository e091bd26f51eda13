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

const volumeSchema = z.object({
  name: kubeNameSchema,
  mountPath: z.string().startsWith('/', 'a mountPath is absolute'),
  readOnly: z.boolean().default(true),
  source: z.union([
    z.object({ configMap: kubeNameSchema }),
    z.object({ secret: kubeNameSchema }),
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
    namespace: kubeNameSchema,
    image: imageRefSchema,
    /** Name of the Service object; `name` when omitted. */
    serviceName: kubeNameSchema.optional(),
    ports: z.array(servicePortSchema).min(1, 'a service needs at least one port'),
    env: envSchema,
    /** Environment variables read from Secret keys. */
    secretEnv: secretEnvSchema.default({}),
    probes: z.object({ readiness: probeSchema.optional(), liveness: probeSchema.optional() }).default({}),
    /** A ServiceAccount for the pod, with namespaced `rules` (Role) and cluster-wide `clusterRules` (ClusterRole). */
    serviceAccount: z
      .object({
        name: kubeNameSchema,
        rules: z.array(policyRuleSchema).default([]),
        clusterRules: z.array(policyRuleSchema).default([]),
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
  });

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
  ];
  const volumes: Volume[] = o.volumes.map((v) => ({
    name: v.name,
    ...('configMap' in v.source
      ? { configMap: { name: v.source.configMap } }
      : 'secret' in v.source
        ? { secret: { secretName: v.source.secret } }
        : { emptyDir: {} }),
  }));
  const mounts: VolumeMount[] = o.volumes.map((v) => ({
    name: v.name,
    mountPath: v.mountPath,
    readOnly: v.readOnly,
  }));
  if (o.coverage) {
    env.push({ name: 'GOCOVERDIR', value: COVERAGE_DIR });
    volumes.push({ name: 'coverage', hostPath: { path: COVERAGE_DIR, type: 'DirectoryOrCreate' } });
    mounts.push({ name: 'coverage', mountPath: COVERAGE_DIR });
  }

  const container: Container = {
    name: o.name,
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
      ...(o.serviceAccount ? { serviceAccountName: o.serviceAccount.name } : {}),
      // The node's /coverdata belongs to root; a non-root binary could not write its counters there.
      ...(o.coverage ? { securityContext: { runAsUser: 0, runAsGroup: 0 } } : {}),
    }),
  );
  return objects;
}
