/**
 * @kubernaut-e2e/deployers — the kubectl `KubeClient`, typed manifests and deployers for PostgreSQL,
 * Redis, DataStorage and generic services, goose migrations, webhook TLS and readiness probing.
 */

export {
  DATASTORAGE_CONFIG_DIR,
  type DatastorageEndpoint,
  type DatastorageOptions,
  datastorageManifests,
  datastorageOptionsSchema,
  deployDataStorage,
} from './components/datastorage.js';
export {
  deployPostgreSQL,
  POSTGRESQL_IMAGE,
  type PostgresqlEndpoint,
  type PostgresqlOptions,
  postgresqlManifests,
  postgresqlOptionsSchema,
} from './components/postgresql.js';
export {
  deployRedis,
  REDIS_IMAGE,
  type RedisEndpoint,
  type RedisOptions,
  redisManifests,
  redisOptionsSchema,
} from './components/redis.js';
export {
  type ComponentKind,
  type ComponentResult,
  type ComponentSpec,
  componentKinds,
  componentSpecSchema,
  deployComponent,
  parseComponents,
  type ResolvedComponentSpec,
} from './components/registry.js';
export { deployService, type ServiceEndpoint } from './components/service.js';
// kubectl adapter
export {
  createKubectlClient,
  type KubectlClientOptions,
  kubectlClientFactory,
} from './kubectl/kubectl-client.js';
export { type ForwardingLine, parseForwardingLine } from './kubectl/port-forward-output.js';
export { renderManifests } from './kubectl/render-manifests.js';
export { NODE_PORT_MAX, NODE_PORT_MIN, type ProbeOptions } from './manifests/common-schemas.js';
// manifests and component deployers
export { IMAGE_PULL_POLICY, MANAGED_BY_LABEL } from './manifests/objects.js';
export {
  COVERAGE_DIR,
  parseServiceOptions,
  type ResolvedServiceOptions,
  type ServiceOptions,
  serviceManifests,
  serviceOptionsSchema,
} from './manifests/service-manifests.js';
export { GOOSE_FILE_NAME, type GooseMigration, parseGooseFile } from './migrations/goose-file.js';
// migrations
export { createGooseMigrator, type GooseMigratorOptions } from './migrations/goose-migrator.js';
export { loadMigrations } from './migrations/load-migrations.js';
export {
  type DatabaseCredentials,
  migrateThroughPortForward,
  type PortForwardTarget,
} from './migrations/migrate-through-port-forward.js';
export { MigrationError } from './migrations/migration-error.js';
export type { SqlStatement } from './migrations/sql-splitter.js';
// readiness
export { createReadinessProber, type ReadinessProberOptions } from './readiness/readiness-prober.js';
export { waitForRollouts } from './readiness/wait-for-rollouts.js';
export { type CaBundleTarget, caBundlePatch, patchWebhookCaBundle } from './tls/patch-ca-bundle.js';
// webhook TLS
export {
  generateWebhookCertificates,
  type WebhookCertificateOptions,
  type WebhookCertificates,
  webhookDnsNames,
} from './tls/webhook-certificates.js';
export { webhookTlsSecret } from './tls/webhook-tls-secret.js';
