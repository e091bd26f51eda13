import {
  hostPortSchema,
  imageRefSchema,
  type KubeObject,
  kubeNameSchema,
  parseInput,
} from '@kubernaut-e2e/core';
import { stringify } from 'yaml';
import { z } from 'zod';
import { namespaceSchema, nodePortSchema, resourcesSchema } from '../manifests/common-schemas.js';
import { appLabels, configMapObject, secretObject } from '../manifests/objects.js';
import {
  type ServiceOptions,
  serviceManifestsFromResolved,
  serviceOptionsSchema,
} from '../manifests/service-manifests.js';

export const datastorageOptionsSchema = z
  .object({
    namespace: namespaceSchema,
    /** The DataStorage image this run built and loaded, e.g. `localhost/kubernaut/datastorage:…`. */
    image: imageRefSchema,
    name: kubeNameSchema.default('datastorage'),
    serviceName: kubeNameSchema.default('data-storage-service'),
    serviceAccountName: kubeNameSchema.default('data-storage-sa'),
    apiPort: hostPortSchema.default(8080),
    metricsPort: hostPortSchema.default(9181),
    healthPort: hostPortSchema.default(8081),
    /** Node port of the API (host access through kind's port mapping); `null` keeps it ClusterIP. */
    nodePort: nodePortSchema.nullable().default(30081),
    postgresql: z
      .object({
        /** In-cluster host; `postgresql.<namespace>.svc.cluster.local` when omitted. */
        host: z.string().min(1).optional(),
        port: hostPortSchema.default(5432),
        database: z.string().min(1).default('action_history'),
        user: z.string().min(1).default('slm_user'),
        password: z.string().min(1).default('test_password'),
      })
      .default({ port: 5432, database: 'action_history', user: 'slm_user', password: 'test_password' }),
    redis: z
      .object({
        /** `host:port`; `redis.<namespace>.svc.cluster.local:6379` when omitted. */
        addr: z
          .string()
          .regex(/^[^:\s]+:\d{1,5}$/, 'redis.addr is "host:port"')
          .optional(),
        password: z.string().default(''),
      })
      .default({ password: '' }),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('debug'),
    coverage: z.boolean().default(false),
    resources: resourcesSchema.default({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    }),
  })
  .superRefine((o, ctx) => {
    const ports = [
      ['apiPort', o.apiPort],
      ['metricsPort', o.metricsPort],
      ['healthPort', o.healthPort],
    ] as const;
    ports.forEach(([field, port], i) => {
      const earlier = ports.slice(0, i).find(([, p]) => p === port);
      if (earlier)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `port ${port} is already used by ${earlier[0]}`,
        });
    });
  });
export type DatastorageOptions = z.input<typeof datastorageOptionsSchema>;
export type ResolvedDatastorageOptions = z.output<typeof datastorageOptionsSchema>;

/** Where the service reads its configuration (the `CONFIG_PATH` it is given). */
export const DATASTORAGE_CONFIG_DIR = '/etc/datastorage';

export function parseDatastorageOptions(options: unknown): ResolvedDatastorageOptions {
  return parseInput(datastorageOptionsSchema, options, 'DataStorage options');
}

/**
 * ConfigMap (config.yaml pointing at PostgreSQL and Redis), Secret (credentials as files), RBAC for the
 * auth middleware (TokenReview + SubjectAccessReview), Service (API, metrics, health) and Deployment with
 * `/readyz` and `/healthz` probes on the health port.
 */
export function datastorageManifests(options: DatastorageOptions): KubeObject[] {
  const o = parseDatastorageOptions(options);
  const labels = appLabels(o.name);
  const configName = `${o.name}-config`;
  const secretName = `${o.name}-secret`;
  const secretsDir = `${DATASTORAGE_CONFIG_DIR}/secrets`;

  const config = {
    service: {
      name: 'data-storage',
      metricsPort: o.metricsPort,
      healthPort: o.healthPort,
      logLevel: o.logLevel,
      shutdownTimeout: '30s',
    },
    server: { port: o.apiPort, host: '0.0.0.0', readTimeout: '30s', writeTimeout: '30s' },
    database: {
      host: o.postgresql.host ?? `postgresql.${o.namespace}.svc.cluster.local`,
      port: o.postgresql.port,
      name: o.postgresql.database,
      user: o.postgresql.user,
      sslMode: 'disable',
      maxOpenConns: 25,
      maxIdleConns: 5,
      connMaxLifetime: '5m',
      connMaxIdleTime: '10m',
      secretsFile: `${secretsDir}/db-secrets.yaml`,
      usernameKey: 'username',
      passwordKey: 'password',
    },
    redis: {
      addr: o.redis.addr ?? `redis.${o.namespace}.svc.cluster.local:6379`,
      db: 0,
      dlqStreamName: 'dlq-stream',
      dlqMaxLen: 1000,
      dlqConsumerGroup: 'dlq-group',
      secretsFile: `${secretsDir}/redis-secrets.yaml`,
      passwordKey: 'password',
    },
    logging: { level: o.logLevel, format: 'json' },
  };

  const service: ServiceOptions = {
    name: o.name,
    namespace: o.namespace,
    image: o.image,
    serviceName: o.serviceName,
    ports: [
      { name: 'http', port: o.apiPort },
      { name: 'metrics', port: o.metricsPort },
      { name: 'health', port: o.healthPort },
    ],
    ...(o.nodePort === null ? {} : { nodePorts: { http: o.nodePort } }),
    env: { CONFIG_PATH: `${DATASTORAGE_CONFIG_DIR}/config.yaml`, POD_NAMESPACE: o.namespace },
    probes: {
      readiness: {
        type: 'http',
        path: '/readyz',
        port: 'health',
        initialDelaySeconds: 2,
        periodSeconds: 2,
        timeoutSeconds: 3,
      },
      liveness: {
        type: 'http',
        path: '/healthz',
        port: 'health',
        initialDelaySeconds: 30,
        periodSeconds: 10,
        timeoutSeconds: 5,
      },
    },
    serviceAccount: {
      name: o.serviceAccountName,
      clusterRules: [
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      ],
    },
    volumes: [
      { name: 'config', mountPath: DATASTORAGE_CONFIG_DIR, source: { configMap: configName } },
      { name: 'secrets', mountPath: secretsDir, source: { secret: secretName } },
    ],
    resources: o.resources,
    coverage: o.coverage,
  };

  return [
    configMapObject(configName, o.namespace, { 'config.yaml': stringify(config) }, labels),
    secretObject(
      secretName,
      o.namespace,
      {
        'db-secrets.yaml': stringify({ username: o.postgresql.user, password: o.postgresql.password }),
        'redis-secrets.yaml': stringify({ password: o.redis.password }),
      },
      labels,
    ),
    ...serviceManifestsFromResolved(parseInput(serviceOptionsSchema, service, 'DataStorage service options')),
  ];
}
