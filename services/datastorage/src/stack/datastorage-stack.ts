import { defineStack, type RunContext } from '@kubernaut-e2e/setup';

/** PostgreSQL credentials of the test database, as kubernaut's suites create it (`deployPostgreSQLInNamespace`). */
export const TEST_DATABASE = {
  database: 'action_history',
  user: 'slm_user',
  password: 'test_password',
} as const;

/** Where DataStorage's config directory is mounted and where it reads its secrets, TLS and signing certificate. */
const CONFIG_DIR = '/etc/datastorage';
const SECRETS_DIR = `${CONFIG_DIR}/secrets`;

/**
 * DataStorage's `config.yaml`, with the keys its `Config` reads (`server:`, `database:`, `redis:`, `logging:`) and
 * the values kubernaut's shared setup writes (`deployDataStorageServiceInNamespaceWithNodePort`). Keys the suite
 * writes that the binary does not read are left out; the contract test pins every key to the source.
 */
export function dataStorageConfig(run: RunContext) {
  return {
    server: {
      port: 8080,
      host: '0.0.0.0',
      metricsPort: 9090,
      healthPort: 8081,
      readTimeout: '30s',
      writeTimeout: '30s',
      signerCertDir: '/etc/signing-certs',
      tls: { certDir: '/etc/tls' },
    },
    database: {
      host: run.host('postgresql'),
      port: 5432,
      name: TEST_DATABASE.database,
      user: TEST_DATABASE.user,
      sslMode: 'disable',
      maxOpenConns: 100,
      maxIdleConns: 20,
      connMaxLifetime: '1h',
      connMaxIdleTime: '10m',
      secretsFile: `${SECRETS_DIR}/db-secrets.yaml`,
      usernameKey: 'username',
      passwordKey: 'password',
    },
    redis: {
      addr: `${run.host('redis')}:6379`,
      dlqMaxLen: 1000,
      secretsFile: `${SECRETS_DIR}/redis-secrets.yaml`,
      passwordKey: 'password',
    },
    logging: { level: 'debug' },
  };
}

/**
 * PostgreSQL, Redis, the goose migrations, the CRDs and DataStorage: what every kubernaut suite deploys underneath
 * its service, as the shared Go setup deploys it — DataStorage serving TLS from the run's CA (`datastorage-tls`),
 * signing audit exports with `datastorage-signing` (RSA), reading `config.yaml` from `/etc/datastorage` and its
 * credentials from a projected Secret volume, running as `data-storage-sa` with the RBAC of the repository's
 * `deploy/data-storage/service-rbac.yaml`, and the `data-storage-client` ClusterRole of
 * `deploy/data-storage/client-rbac-v2.yaml` that clients are bound to. A service that uses it names the host port
 * `datastorage` (the HTTPS API); `datastorageHealth`, `datastorageMetrics` and `postgresql` are published only when
 * it names them.
 */
export const dataStorageStack = defineStack({
  name: 'datastorage',
  images: {
    datastorage: { dockerfile: 'docker/data-storage.Dockerfile', imageName: 'kubernaut/datastorage' },
    postgres: { ref: 'docker.io/library/postgres:16-alpine' },
    redis: { ref: 'quay.io/jordigilh/redis:7-alpine' },
  },
  // DataStorage's catalog reads RemediationWorkflows and ActionTypes: the suites apply every CRD before it starts.
  crds: ['config/crd/bases'],
  certificates: [
    { secret: 'datastorage-tls', serves: 'datastorage' },
    {
      secret: 'datastorage-signing',
      selfSigned: { commonName: 'datastorage-signing', dnsNames: ['localhost'], keyAlgorithm: 'rsa-2048' },
    },
  ],
  secrets: [
    {
      name: 'postgresql-secret',
      files: {
        POSTGRES_USER: { text: TEST_DATABASE.user },
        POSTGRES_PASSWORD: { text: TEST_DATABASE.password },
        POSTGRES_DB: { text: TEST_DATABASE.database },
        'db-secrets.yaml': { yaml: { username: TEST_DATABASE.user, password: TEST_DATABASE.password } },
      },
    },
    { name: 'redis-secret', files: { 'redis-secrets.yaml': { yaml: { password: '' } } } },
  ],
  manifests: [
    // Only the ClusterRole: the file's RoleBindings name other suites' accounts.
    {
      id: 'datastorage-client-role',
      from: 'deploy/data-storage/client-rbac-v2.yaml',
      kinds: ['ClusterRole'],
    },
    { id: 'datastorage-rbac', from: 'deploy/data-storage/service-rbac.yaml' },
  ],
  deployments: [
    {
      id: 'postgresql',
      image: 'postgres',
      args: ['-c', 'max_connections=200'],
      ports: [{ name: 'postgresql', port: 5432, nodePort: 30432 }],
      publish: { port: 'postgresql', hostPort: 'postgresql', optional: true, endpoint: false },
      secretEnv: {
        POSTGRES_USER: { secret: 'postgresql-secret', key: 'POSTGRES_USER' },
        POSTGRES_PASSWORD: { secret: 'postgresql-secret', key: 'POSTGRES_PASSWORD' },
        POSTGRES_DB: { secret: 'postgresql-secret', key: 'POSTGRES_DB' },
      },
      env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
      volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', source: { emptyDir: true } }],
      probes: {
        readiness: {
          exec: ['pg_isready', '-U', TEST_DATABASE.user, '-d', TEST_DATABASE.database],
          initialDelaySeconds: 5,
          periodSeconds: 5,
          timeoutSeconds: 3,
        },
        liveness: {
          exec: ['pg_isready', '-U', TEST_DATABASE.user, '-d', TEST_DATABASE.database],
          initialDelaySeconds: 30,
          periodSeconds: 10,
          timeoutSeconds: 5,
        },
      },
      resources: { requests: { memory: '512Mi', cpu: '250m' }, limits: { memory: '1Gi', cpu: '500m' } },
    },
    {
      id: 'redis',
      image: 'redis',
      ports: [{ name: 'redis', port: 6379 }],
      // ClusterIP in most suites; the auth webhook suite maps it from node port 30386.
      publish: { port: 'redis', hostPort: 'redis', nodePort: 30386, optional: true, endpoint: false },
      probes: {
        readiness: {
          exec: ['redis-cli', 'ping'],
          initialDelaySeconds: 5,
          periodSeconds: 5,
          timeoutSeconds: 3,
        },
        liveness: {
          exec: ['redis-cli', 'ping'],
          initialDelaySeconds: 30,
          periodSeconds: 10,
          timeoutSeconds: 5,
        },
      },
      resources: { requests: { memory: '128Mi', cpu: '100m' }, limits: { memory: '256Mi', cpu: '200m' } },
    },
    {
      id: 'datastorage',
      image: 'datastorage',
      serviceName: 'data-storage-service',
      serviceAccount: 'data-storage-sa',
      dependsOn: ['postgresql', 'redis', 'migrations', 'datastorage-rbac', 'datastorage-client-role'],
      // No flags: it reads the file CONFIG_PATH names, and exits without it.
      env: { CONFIG_PATH: `${CONFIG_DIR}/config.yaml` },
      ports: [
        { name: 'https', port: 8080, tls: true, nodePort: 30081 },
        { name: 'metrics', port: 9090, nodePort: 30181 },
        { name: 'health', port: 8081, nodePort: 30281 },
      ],
      publish: [
        { port: 'https', hostPort: 'datastorage', endpoint: 'dataStorageUrl' },
        { port: 'health', hostPort: 'datastorageHealth', endpoint: 'dataStorageHealthUrl', optional: true },
        {
          port: 'metrics',
          hostPort: 'datastorageMetrics',
          endpoint: 'dataStorageMetricsUrl',
          optional: true,
        },
      ],
      configFiles: [
        {
          name: 'datastorage-config',
          mountPath: CONFIG_DIR,
          files: { 'config.yaml': { yaml: dataStorageConfig } },
        },
      ],
      volumes: [
        {
          name: 'secrets',
          mountPath: SECRETS_DIR,
          source: {
            projected: [
              { secret: 'postgresql-secret', items: [{ key: 'db-secrets.yaml', path: 'db-secrets.yaml' }] },
              { secret: 'redis-secret', items: [{ key: 'redis-secrets.yaml', path: 'redis-secrets.yaml' }] },
            ],
          },
        },
        // Optional, as in the suites: without it DataStorage serves plain HTTP (the run always makes it).
        { name: 'tls-certs', mountPath: '/etc/tls', source: { secret: 'datastorage-tls', optional: true } },
        { name: 'signing-certs', mountPath: '/etc/signing-certs', source: { secret: 'datastorage-signing' } },
      ],
      probes: {
        readiness: {
          path: '/readyz',
          port: 'health',
          initialDelaySeconds: 30,
          periodSeconds: 5,
          timeoutSeconds: 3,
          failureThreshold: 3,
        },
        liveness: {
          path: '/healthz',
          port: 'health',
          initialDelaySeconds: 45,
          periodSeconds: 15,
          timeoutSeconds: 10,
          failureThreshold: 5,
        },
      },
      resources: { requests: { memory: '512Mi', cpu: '250m' }, limits: { memory: '1Gi', cpu: '500m' } },
    },
  ],
  migrations: [{ id: 'migrations', directory: 'migrations', via: 'postgresql', database: TEST_DATABASE }],
  endpoints: (run) => ({
    ...('postgresql' in run.hostPorts
      ? {
          postgresUrl: `postgresql://${TEST_DATABASE.user}:${TEST_DATABASE.password}@localhost:${run.hostPorts.postgresql}/${TEST_DATABASE.database}`,
        }
      : {}),
  }),
});
