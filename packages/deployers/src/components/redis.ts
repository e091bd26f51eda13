import {
  hostPortSchema,
  imageRefSchema,
  type KubeObject,
  kubeNameSchema,
  parseInput,
} from '@kubernaut-e2e/core';
import { z } from 'zod';
import { namespaceSchema, nodePortSchema, resourcesSchema } from '../manifests/common-schemas.js';
import type { Container } from '../manifests/kube-types.js';
import { appLabels, deploymentObject, IMAGE_PULL_POLICY, serviceObject } from '../manifests/objects.js';

/** Pinned so every run tests against the same server build. */
export const REDIS_IMAGE = 'docker.io/library/redis:7.4.1-alpine';

export const redisOptionsSchema = z.object({
  namespace: namespaceSchema,
  name: kubeNameSchema.default('redis'),
  image: imageRefSchema.default(REDIS_IMAGE),
  port: hostPortSchema.default(6379),
  /** Node port for access from the host; `null` (the default) keeps the Service ClusterIP. */
  nodePort: nodePortSchema.nullable().default(null),
  resources: resourcesSchema.default({
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '200m', memory: '256Mi' },
  }),
});
export type RedisOptions = z.input<typeof redisOptionsSchema>;
export type ResolvedRedisOptions = z.output<typeof redisOptionsSchema>;

export function parseRedisOptions(options: unknown): ResolvedRedisOptions {
  return parseInput(redisOptionsSchema, options, 'Redis options');
}

/** Service and Deployment of a single-replica Redis without persistence. */
export function redisManifests(options: RedisOptions): KubeObject[] {
  const o = parseRedisOptions(options);
  const labels = appLabels(o.name);
  const ping = ['redis-cli', '-p', String(o.port), 'ping'];
  const container: Container = {
    name: o.name,
    image: o.image,
    imagePullPolicy: IMAGE_PULL_POLICY,
    // No snapshots: the data lives as long as the test run.
    args: ['--port', String(o.port), '--save', '', '--appendonly', 'no'],
    ports: [{ name: 'redis', containerPort: o.port, protocol: 'TCP' }],
    resources: o.resources,
    readinessProbe: { exec: { command: ping }, initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 3 },
    livenessProbe: { exec: { command: ping }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 },
  };
  return [
    serviceObject(
      o.name,
      o.namespace,
      { app: o.name },
      [
        {
          name: 'redis',
          port: o.port,
          targetPort: o.port,
          protocol: 'TCP',
          ...(o.nodePort === null ? {} : { nodePort: o.nodePort }),
        },
      ],
      labels,
    ),
    deploymentObject({ name: o.name, namespace: o.namespace, labels, replicas: 1, containers: [container] }),
  ];
}
