import type { OperationContext } from './operation-context.js';

export interface DatabaseTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export interface MigrationReport {
  /** Files applied by this call, in order. */
  readonly applied: readonly string[];
  /** The version the database is at afterwards. */
  readonly version: number;
}

/** Applies goose-format SQL migrations from a directory, idempotently. */
export interface Migrator {
  migrate(target: DatabaseTarget, directory: string, ctx?: OperationContext): Promise<MigrationReport>;
}
