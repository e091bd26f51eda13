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
import type { ComponentDeclaration } from '@kubernaut-e2e/orchestrator';
import {
  DEFAULT_READY_TIMEOUT_MS,
  type DeclareContext,
  defineStack,
  type StackParts,
} from '@kubernaut-e2e/setup';

/**
 * Node ports inside the cluster, as kubernaut's suites use them; kind publishes each on a host port of the
 * service's own range. A service can move one with its `nodePorts` (notification's suite runs DataStorage on 30090).
 */
export const NODE_PORTS = { datastorage: 30081, postgresql: 30432 } as const;

/**
 * The CRDs every suite on this stack gets: kubernaut's `applyRemediationWorkflowCRDs` applies the whole
 * `config/crd/bases/` directory before DataStorage starts (DataStorage watches RemediationWorkflows and ActionTypes).
 */
export const DATASTORAGE_CRD_SOURCES = ['config/crd/bases'] as const;

/** PostgreSQL credentials of the test database (the seed system's values). */
export const TEST_DATABASE = {
  database: 'action_history',
  user: 'slm_user',
  password: 'test_password',
} as const;

const READY_TIMEOUT_MS = DEFAULT_READY_TIMEOUT_MS;

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
 * PostgreSQL, Redis, the goose migrations, the CRDs (`config/crd/bases`) and DataStorage: what every kubernaut
 * service's E2E suite needs underneath it. A service that `uses` it publishes host ports named `datastorage` and
 * `postgresql`.
 */
export const dataStorageStack = defineStack({
  name: 'datastorage',
  hostPorts: ['datastorage', 'postgresql'],
  provides: ['postgresql', 'redis', 'migrations', 'datastorage'],
  declare: dataStorageParts,
});

function dataStorageParts(context: DeclareContext): StackParts {
  const { namespace, hostPorts } = context;
  const dsPort = requirePort(hostPorts, 'datastorage');
  const pgPort = requirePort(hostPorts, 'postgresql');
  const nodePorts = { ...NODE_PORTS, ...pick(context.nodePorts, ['datastorage', 'postgresql']) };
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
      manifests: () => postgresqlManifests({ namespace, nodePort: nodePorts.postgresql, ...TEST_DATABASE }),
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
          nodePort: nodePorts.datastorage,
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
      { containerPort: nodePorts.datastorage, hostPort: dsPort },
      { containerPort: nodePorts.postgresql, hostPort: pgPort },
    ],
    crds: DATASTORAGE_CRD_SOURCES,
    endpoints: {
      dataStorageUrl: `http://localhost:${dsPort}`,
      postgresUrl: `postgresql://${TEST_DATABASE.user}:${TEST_DATABASE.password}@localhost:${pgPort}/${TEST_DATABASE.database}`,
    },
  };
}

function pick(
  ports: Readonly<Record<string, number>> | undefined,
  names: readonly string[],
): Record<string, number> {
  return Object.fromEntries(Object.entries(ports ?? {}).filter(([name]) => names.includes(name)));
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
