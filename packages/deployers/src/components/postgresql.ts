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
import {
  appLabels,
  deploymentObject,
  IMAGE_PULL_POLICY,
  secretObject,
  serviceObject,
} from '../manifests/objects.js';

/** Pinned so every run (and every developer) tests against the same server build. */
export const POSTGRESQL_IMAGE = 'docker.io/library/postgres:16.4-alpine';

/** An unquoted PostgreSQL identifier (database and role names are passed to initdb and pg_isready). */
const pgIdentifierSchema = z
  .string()
  .regex(
    /^[a-z_][a-z0-9_]{0,62}$/,
    'a lower-case PostgreSQL identifier: letters, digits and "_", ≤ 63 characters',
  );

export const postgresqlOptionsSchema = z.object({
  namespace: namespaceSchema,
  name: kubeNameSchema.default('postgresql'),
  image: imageRefSchema.default(POSTGRESQL_IMAGE),
  database: pgIdentifierSchema.default('action_history'),
  user: pgIdentifierSchema.default('slm_user'),
  password: z.string().min(1, 'the password must not be empty').default('test_password'),
  port: hostPortSchema.default(5432),
  /** Node port for access from the host through kind's port mapping; `null` keeps the Service ClusterIP. */
  nodePort: nodePortSchema.nullable().default(30432),
  resources: resourcesSchema.default({
    requests: { cpu: '250m', memory: '256Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  }),
});
export type PostgresqlOptions = z.input<typeof postgresqlOptionsSchema>;
export type ResolvedPostgresqlOptions = z.output<typeof postgresqlOptionsSchema>;

export function parsePostgresqlOptions(options: unknown): ResolvedPostgresqlOptions {
  return parseInput(postgresqlOptionsSchema, options, 'PostgreSQL options');
}

/** Secret (credentials), Service and Deployment of a single-replica PostgreSQL with ephemeral storage. */
export function postgresqlManifests(options: PostgresqlOptions): KubeObject[] {
  const o = parsePostgresqlOptions(options);
  const labels = appLabels(o.name);
  const secretName = `${o.name}-secret`;
  // `-h 127.0.0.1` matters: during first start the image's entrypoint runs a temporary server on the
  // Unix socket only; probing the socket would call the pod ready before the real server is up.
  const isReady = ['pg_isready', '-h', '127.0.0.1', '-p', String(o.port), '-U', o.user, '-d', o.database];
  const container: Container = {
    name: o.name,
    image: o.image,
    imagePullPolicy: IMAGE_PULL_POLICY,
    ports: [{ name: 'postgresql', containerPort: o.port, protocol: 'TCP' }],
    env: [
      ...(['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB'] as const).map((key) => ({
        name: key,
        valueFrom: { secretKeyRef: { name: secretName, key } },
      })),
      { name: 'PGPORT', value: String(o.port) },
      // A subdirectory, because initdb refuses a mount point that contains lost+found.
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
    ],
    volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
    resources: o.resources,
    readinessProbe: {
      exec: { command: isReady },
      initialDelaySeconds: 2,
      periodSeconds: 2,
      timeoutSeconds: 3,
    },
    livenessProbe: {
      exec: { command: isReady },
      initialDelaySeconds: 30,
      periodSeconds: 10,
      timeoutSeconds: 5,
    },
  };
  return [
    secretObject(
      secretName,
      o.namespace,
      { POSTGRES_USER: o.user, POSTGRES_PASSWORD: o.password, POSTGRES_DB: o.database },
      labels,
    ),
    serviceObject(
      o.name,
      o.namespace,
      { app: o.name },
      [
        {
          name: 'postgresql',
          port: o.port,
          targetPort: o.port,
          protocol: 'TCP',
          ...(o.nodePort === null ? {} : { nodePort: o.nodePort }),
        },
      ],
      labels,
    ),
    deploymentObject({
      name: o.name,
      namespace: o.namespace,
      labels,
      replicas: 1,
      containers: [container],
      volumes: [{ name: 'data', emptyDir: {} }],
    }),
  ];
}
