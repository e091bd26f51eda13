import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigIssue } from '@kubernaut-e2e/core/errors';

/** `affected`'s own flags, validated before anything runs. */
export interface AffectedFlags {
  /** `--since <ref>`: compare with the merge base of this ref and HEAD. */
  readonly since?: string;
  /** `--shards <n>`: spread the affected suites over n machines. */
  readonly shards?: number;
  /** `--matrix github`: print a GitHub Actions matrix instead of the report. */
  readonly matrix?: 'github';
  /** `--test-times <file>`: recorded test seconds per suite (JSON). */
  readonly testTimes?: string;
}

export const MATRIX_FORMATS = ['github'] as const;
/** GitHub Actions runs at most 256 jobs of one matrix. */
export const MAX_SHARDS = 256;

export const AFFECTED_OPTIONS = {
  since: { type: 'string' },
  shards: { type: 'string' },
  matrix: { type: 'string' },
  'test-times': { type: 'string' },
} as const;

/** Checks `--since`, `--shards`, `--matrix`, `--test-times`: values, and that they come with `affected` only. */
export function affectedFlags(
  issues: ConfigIssue[],
  command: string,
  values: { since?: string; shards?: string; matrix?: string; 'test-times'?: string },
): AffectedFlags | undefined {
  const given = (['since', 'shards', 'matrix', 'test-times'] as const).filter((f) => values[f] !== undefined);
  if (command !== 'affected') {
    for (const flag of given) issues.push({ path: `--${flag}`, message: 'only with `affected`' });
    return undefined;
  }
  const flags: { since?: string; shards?: number; matrix?: 'github'; testTimes?: string } = {};
  const { since, shards, matrix } = values;
  if (since !== undefined) {
    // A ref, not an option or a range: git would read "-x" as a flag and "a..b" as two commits.
    if (!/^[^\s-][^\s]*$/.test(since) || since.includes('..'))
      issues.push({
        path: '--since',
        message: `"${since}" is not a ref; give a branch, tag or commit, e.g. origin/main, main~3 or a1b2c3d`,
      });
    else flags.since = since;
  }
  if (shards !== undefined) {
    const n = Number(shards);
    if (!/^\d+$/.test(shards.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_SHARDS)
      issues.push({
        path: '--shards',
        message: `expected a whole number of machines, 1–${MAX_SHARDS}, got "${shards}"`,
      });
    else flags.shards = n;
  }
  if (matrix !== undefined) {
    if ((MATRIX_FORMATS as readonly string[]).includes(matrix)) flags.matrix = matrix as 'github';
    else
      issues.push({
        path: '--matrix',
        message: `unknown value "${matrix}"; allowed: ${MATRIX_FORMATS.join(', ')}`,
      });
  }
  const testTimes = values['test-times'];
  if (testTimes !== undefined) {
    const file = resolve(testTimes);
    if (testTimes.trim() === '' || !existsSync(file) || !statSync(file).isFile())
      issues.push({
        path: '--test-times',
        message: `test times file ${file} does not exist; give a JSON file {"<suite>": <seconds>, …}`,
      });
    else flags.testTimes = file;
  }
  return flags;
}
