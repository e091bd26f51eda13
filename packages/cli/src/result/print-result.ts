import type { FailedSetup, FailureDiagnostics } from '@kubernaut-e2e/setup';
import type { CliIo } from '../io.js';
import {
  RESULT_SCHEMA_VERSION,
  type RunResult,
  resultAsEnv,
  runResultSchema,
  type UpFailed,
} from './run-result.js';

/** Prints a result as `--output` asks, after checking it against the published schema (a mismatch is a bug). */
export function printResult(io: CliIo, output: 'json' | 'env', result: RunResult): void {
  const checked = runResultSchema.parse(result);
  io.stdout(output === 'env' ? resultAsEnv(checked) : `${JSON.stringify(checked, null, 2)}\n`);
}

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'KE_UNEXPECTED';
};

/** The step a `StepError` names (`stepId`), if the error is one. */
const stepOf = (error: unknown): string | undefined => {
  const step = (error as { stepId?: unknown } | null)?.stepId;
  return typeof step === 'string' ? step : undefined;
};

/** The result of an `up` that failed or was interrupted: what failed, what was found, what is left running. */
export function upFailure(
  service: string,
  error: unknown,
  interrupted: boolean,
  failed: FailedSetup | undefined,
  diagnostics: FailureDiagnostics | undefined,
): UpFailed {
  const step = stepOf(error);
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    command: 'up',
    ok: false,
    service,
    ...(failed ? { runId: failed.runId } : {}),
    interrupted,
    error: {
      code: interrupted ? 'KE_CANCELLED' : codeOf(error),
      message: error instanceof Error ? error.message : String(error),
      ...(step ? { step } : {}),
    },
    causes: (diagnostics?.report?.findings ?? []).map((f) => ({
      subject: f.subject,
      summary: f.summary,
      ...(f.details.length > 0 ? { evidence: [...f.details] } : {}),
    })),
    ...(diagnostics?.report ? { diagnosticsDir: diagnostics.report.dir } : {}),
    leftRunning: [...(failed?.leftRunning ?? [])],
  };
}
