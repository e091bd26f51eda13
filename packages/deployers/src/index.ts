/**
 * @kubernaut-e2e/deployers — the kubectl `KubeClient`, typed manifests for PostgreSQL, Redis,
 * DataStorage and generic services, the goose migrator, webhook TLS and readiness probing. Applying
 * manifests, waiting for rollouts and migrating through a port-forward are steps of the orchestrator,
 * which runs them over these adapters; this package has no second copy of them.
 */

export {
  DATASTORAGE_CONFIG_DIR,
  type DatastorageOptions,
  datastorageManifests,
  datastorageOptionsSchema,
} from './components/datastorage.js';
export {
  POSTGRESQL_IMAGE,
  type PostgresqlOptions,
  postgresqlManifests,
  postgresqlOptionsSchema,
} from './components/postgresql.js';
export { REDIS_IMAGE, type RedisOptions, redisManifests, redisOptionsSchema } from './components/redis.js';
// coverage at teardown
export {
  type CollectCoverageOptions,
  type CoverageReport,
  collectCoverage,
  formatCoverage,
} from './coverage/collect-coverage.js';
// failure diagnostics
export { type DiagnoseInput, diagnose } from './diagnostics/diagnose.js';
export type { Finding, FindingKind } from './diagnostics/findings.js';
export { type FormatDiagnosticsOptions, formatDiagnostics } from './diagnostics/format-diagnostics.js';
export {
  type DiagnosticsGap,
  type DiagnosticsReport,
  type GatherDiagnosticsOptions,
  gatherDiagnostics,
} from './diagnostics/gather-diagnostics.js';
export type { ContainerStatusInfo, PodInfo } from './diagnostics/kube-status.js';
export { recordStepOutput, type StepOutputRecorder } from './diagnostics/step-output.js';
// kubectl adapter
export {
  createKubectlClient,
  type KubectlClientOptions,
  kubectlClientFactory,
} from './kubectl/kubectl-client.js';
export { type ForwardingLine, parseForwardingLine } from './kubectl/port-forward-output.js';
export { renderManifests } from './kubectl/render-manifests.js';
export { NODE_PORT_MIN, type ProbeOptions } from './manifests/common-schemas.js';
// manifests
export { IMAGE_PULL_POLICY, MANAGED_BY_LABEL } from './manifests/objects.js';
export {
  COVERAGE_DIR,
  parseServiceOptions,
  type ResolvedServiceOptions,
  type ServiceOptions,
  serviceManifests,
  serviceOptionsSchema,
} from './manifests/service-manifests.js';
export { type GooseMigration, parseGooseFile } from './migrations/goose-file.js';
// migrations
export { createGooseMigrator, type GooseMigratorOptions } from './migrations/goose-migrator.js';
export { loadMigrations } from './migrations/load-migrations.js';
export { MigrationError } from './migrations/migration-error.js';
export type { SqlStatement } from './migrations/sql-splitter.js';
// readiness
export { createReadinessProber, type ReadinessProberOptions } from './readiness/readiness-prober.js';
