import { ErrorCode, KubernautError } from '@kubernaut-e2e/core';

/**
 * A migration statement failed on the server. Names the file, the statement (index, line and text) and
 * the server's message, and says which version the database was left at.
 *
 * The code is `KE_COMMAND`: a statement the database refused is an external operation failing, like a
 * command exiting non-zero. (Core has no migration-specific code; the class name tells them apart.)
 */
export class MigrationError extends KubernautError {
  readonly code = ErrorCode.Command;

  constructor(
    readonly fileName: string,
    readonly version: number,
    /** 1-based index of the statement within the Up section. */
    readonly statementIndex: number,
    /** 1-based line of the file where the statement starts. */
    readonly line: number,
    readonly statement: string,
    /** Version the database is at after the failure. */
    readonly databaseVersion: number,
    readonly sqlState: string | undefined,
    cause: unknown,
    transactional: boolean,
  ) {
    const serverMessage = cause instanceof Error ? cause.message : String(cause);
    const snippet = statement.length > 300 ? `${statement.slice(0, 300)}…` : statement;
    const state = transactional
      ? `it was rolled back; the database stays at version ${databaseVersion}`
      : `the file is marked NO TRANSACTION, so statements before this one stayed applied; the version table still says ${databaseVersion}`;
    super(
      `migration ${fileName} failed at statement ${statementIndex} (line ${line}): ${serverMessage}${sqlState ? ` [SQLSTATE ${sqlState}]` : ''}\n` +
        `  statement: ${snippet}\n  ${state}. Fix the file and run the migrations again.`,
      { cause },
    );
  }
}
