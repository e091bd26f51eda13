import { CommandError, NotReadyError } from '@kubernaut-e2e/core';
import { MigrationError } from '../migrations/migration-error.js';
import type { Finding } from './findings.js';

/** The failed step of a run, as diagnostics need it. */
export interface FailedStep {
  /** Step id, e.g. `migrate:datastorage` or `ready:gateway`. */
  readonly id: string;
  /** Step kind (`build`, `deploy`, `migrate`, `wait-ready`, …), when known. */
  readonly kind?: string;
  /** The error the step failed with (a `StepError` is unwrapped through its `cause` chain). */
  readonly error?: unknown;
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 10; ) {
    chain.push(e);
    e = e instanceof Error ? e.cause : undefined;
  }
  return chain;
}

/** `GET http://localhost:8080/health` or `tcp host:port`: what the readiness prober names its targets. */
const PROBE_TARGET = /^(GET\s+)?(https?:\/\/\S+)|^tcp\s+\S+:\d+$/;
/** A goose file name inside a tool's error output, e.g. `00002_add_index.sql`. */
const MIGRATION_FILE = /\b(\d+_[\w.-]+\.sql)\b/;

/**
 * Findings from the failed step's own error: a migration statement the database refused (with the file
 * and line), an endpoint whose readiness probe never succeeded (with its URL and the last response), a
 * rollout that did not finish, a migration step that failed without a `MigrationError` (a tool's output).
 */
export function diagnoseStepError(step: FailedStep): Finding[] {
  const chain = causes(step.error);
  const migration = chain.find((e): e is MigrationError => e instanceof MigrationError);
  if (migration) {
    const server = migration.cause instanceof Error ? migration.cause.message : String(migration.cause);
    return [
      {
        kind: 'migration',
        subject: `migration ${migration.fileName}`,
        summary: `migration ${migration.fileName} failed at line ${migration.line} (statement ${migration.statementIndex}): ${server}${migration.sqlState ? ` [SQLSTATE ${migration.sqlState}]` : ''}; the database stays at version ${migration.databaseVersion}`,
        details: [`statement: ${migration.statement.replace(/\s+/g, ' ').slice(0, 300)}`],
      },
    ];
  }
  const notReady = chain.find((e): e is NotReadyError => e instanceof NotReadyError);
  if (notReady) {
    const probe = PROBE_TARGET.exec(notReady.target);
    return [
      probe
        ? {
            kind: 'readiness-probe',
            subject: probe[2] ?? notReady.target,
            summary: `the readiness probe ${notReady.target} never succeeded; the last response was ${notReady.lastObservation}`,
            details: [],
          }
        : {
            kind: 'not-ready',
            subject: /\b[a-z]+\/[\w.-]+/.exec(notReady.target)?.[0] ?? notReady.target,
            summary: `${notReady.target} was not ready in time; last seen: ${notReady.lastObservation}`,
            details: [],
          },
    ];
  }
  const isMigrationStep = step.kind === 'migrate' || step.id.startsWith('migrate');
  const command = chain.find((e): e is CommandError => e instanceof CommandError);
  if (isMigrationStep && step.error !== undefined) {
    const output = command?.stderrTail ?? [];
    const text = [...output, step.error instanceof Error ? step.error.message : String(step.error)].join(
      '\n',
    );
    const file = MIGRATION_FILE.exec(text)?.[1];
    const line = /\bline (\d+)\b/i.exec(text)?.[1];
    return [
      {
        kind: 'migration',
        subject: file ? `migration ${file}` : `step ${step.id}`,
        summary: `the migrations failed${file ? ` in ${file}` : ''}${line ? ` at line ${line}` : ''}: ${output.at(-1) ?? (step.error instanceof Error ? step.error.message.split('\n')[0] : String(step.error))}`,
        details: output.slice(0, -1),
      },
    ];
  }
  return [];
}
