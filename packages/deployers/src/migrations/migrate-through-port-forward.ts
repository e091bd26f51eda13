import type {
  DatabaseTarget,
  KubeClient,
  MigrationReport,
  Migrator,
  OperationContext,
} from '@kubernaut-e2e/core';
import { createGooseMigrator } from './goose-migrator.js';
import { loadMigrations } from './load-migrations.js';

export interface PortForwardTarget {
  readonly namespace: string;
  /** Service name; forwarded as `svc/<service>`. */
  readonly service: string;
  readonly remotePort: number;
}

/** Credentials for the database behind the port-forward (host and port come from the forward). */
export type DatabaseCredentials = Omit<DatabaseTarget, 'host' | 'port'>;

/**
 * Opens `kubectl port-forward svc/<service> :<remotePort>`, applies the migrations in `directory` over
 * it, and always closes the forward — on success, failure or cancellation. The directory is checked
 * first, so a wrong path fails before any kubectl runs.
 */
export async function migrateThroughPortForward(
  kube: KubeClient,
  target: PortForwardTarget,
  credentials: DatabaseCredentials,
  directory: string,
  ctx?: OperationContext & { readonly migrator?: Migrator },
): Promise<MigrationReport> {
  await loadMigrations(directory);
  const migrator = ctx?.migrator ?? createGooseMigrator();
  const forward = await kube.portForward(target.namespace, `svc/${target.service}`, target.remotePort, ctx);
  try {
    return await migrator.migrate(
      { ...credentials, host: '127.0.0.1', port: forward.localPort },
      directory,
      ctx,
    );
  } finally {
    await forward.close();
  }
}
