import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type ImageBuildConfig } from '@kubernaut-e2e/core';
import {
  datastorageManifests,
  POSTGRESQL_IMAGE,
  postgresqlManifests,
  REDIS_IMAGE,
  redisManifests,
} from '@kubernaut-e2e/deployers';
import type { ComponentDeclaration, ImageDeclaration } from '@kubernaut-e2e/orchestrator';
import type { DeclareContext } from '../runtime/service-definition.js';

/** Node ports inside the cluster; kind publishes each on a host port of the service's own range. */
export const NODE_PORTS = { datastorage: 30081, postgresql: 30432 } as const;

/** PostgreSQL credentials of the test database (the seed system's values). */
export const TEST_DATABASE = {
  database: 'action_history',
  user: 'slm_user',
  password: 'test_password',
} as const;

/** How long a rollout or readiness probe may take before the step fails with what was still not ready. */
const READY_TIMEOUT_MS = 180_000;

export interface PortMapping {
  readonly containerPort: number;
  readonly hostPort: number;
}

export interface DataStorageStack {
  readonly images: readonly ImageDeclaration[];
  readonly components: readonly ComponentDeclaration[];
  /** kind `extraPortMappings` for the stack's host ports. */
  readonly portMappings: readonly PortMapping[];
  readonly endpoints: Readonly<Record<string, string>>;
}

/** The seed's `E2EImageConfig` for DataStorage. */
export function dataStorageImage(context: DeclareContext): ImageBuildConfig {
  return {
    serviceName: 'datastorage',
    imageName: 'kubernaut/datastorage',
    dockerfilePath: 'docker/data-storage.Dockerfile',
    consumer: context.consumer,
    enableCoverage: context.coverage,
  };
}

/**
 * PostgreSQL, Redis, the goose migrations and DataStorage: what every kubernaut service's E2E suite needs
 * underneath it. Needs host ports named `datastorage` and `postgresql` in `context.hostPorts`.
 */
export function dataStorageStack(context: DeclareContext): DataStorageStack {
  const { namespace, hostPorts } = context;
  const dsPort = requirePort(hostPorts, 'datastorage');
  const pgPort = requirePort(hostPorts, 'postgresql');
  const migrations = join(context.projectRoot, 'migrations');
  if (!existsSync(migrations)) {
    throw ConfigError.field(
      'projectRoot',
      `migration directory ${migrations} does not exist; projectRoot must be a kubernaut checkout (with migrations/)`,
    );
  }
  const components: ComponentDeclaration[] = [
    {
      id: 'postgresql',
      kind: 'deploy',
      images: [],
      externalImages: [POSTGRESQL_IMAGE],
      dependsOn: [],
      manifests: () => postgresqlManifests({ namespace, nodePort: NODE_PORTS.postgresql, ...TEST_DATABASE }),
      rollout: ['deployment/postgresql'],
      rolloutTimeoutMs: READY_TIMEOUT_MS,
      readiness: {
        probe: { kind: 'tcp', host: 'localhost', port: pgPort },
        options: { timeoutMs: READY_TIMEOUT_MS, intervalMs: 1000, attemptTimeoutMs: 2000 },
      },
    },
    {
      id: 'redis',
      kind: 'deploy',
      images: [],
      externalImages: [REDIS_IMAGE],
      dependsOn: [],
      manifests: () => redisManifests({ namespace }),
      rollout: ['deployment/redis'],
      rolloutTimeoutMs: READY_TIMEOUT_MS,
    },
    {
      id: 'migrations',
      kind: 'migrate',
      dependsOn: ['postgresql'],
      directory: migrations,
      database: TEST_DATABASE,
      via: { namespace, target: 'service/postgresql', remotePort: 5432 },
    },
    {
      id: 'datastorage',
      kind: 'deploy',
      images: ['datastorage'],
      dependsOn: ['postgresql', 'redis', 'migrations'],
      manifests: (refs) =>
        datastorageManifests({
          namespace,
          image: refs.datastorage!,
          nodePort: NODE_PORTS.datastorage,
          coverage: context.coverage,
          postgresql: { port: 5432, ...TEST_DATABASE },
        }),
      rollout: ['deployment/datastorage'],
      rolloutTimeoutMs: READY_TIMEOUT_MS,
      readiness: {
        probe: { kind: 'tcp', host: 'localhost', port: dsPort },
        options: { timeoutMs: READY_TIMEOUT_MS, intervalMs: 1000, attemptTimeoutMs: 2000 },
      },
    },
  ];
  return {
    images: [{ id: 'datastorage', build: dataStorageImage(context) }],
    components,
    portMappings: [
      { containerPort: NODE_PORTS.datastorage, hostPort: dsPort },
      { containerPort: NODE_PORTS.postgresql, hostPort: pgPort },
    ],
    endpoints: {
      dataStorageUrl: `http://localhost:${dsPort}`,
      postgresUrl: `postgresql://${TEST_DATABASE.user}:${TEST_DATABASE.password}@localhost:${pgPort}/${TEST_DATABASE.database}`,
    },
  };
}

export function requirePort(hostPorts: Readonly<Record<string, number>>, name: string): number {
  const port = hostPorts[name];
  if (port === undefined) throw ConfigError.field(`hostPorts.${name}`, 'a host port is required here');
  return port;
}

/** DataStorage's API inside the cluster (what the other services are configured with). */
export function inClusterDataStorageUrl(namespace: string): string {
  return `http://data-storage-service.${namespace}.svc.cluster.local:8080`;
}
