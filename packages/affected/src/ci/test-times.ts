import { readFile } from 'node:fs/promises';
import { ConfigError, type ConfigIssue } from '@kubernaut-e2e/core';

/**
 * Recorded test times: a JSON object of suite name → seconds its tests took (after setup), e.g.
 * `{ "gateway": 412, "datastorage": 295.5 }` — from a previous CI run (`ginkgo --json-report`, a job's step
 * duration). Neither kubernaut nor kubernaut-e2e records them, so they are given as a file (`--test-times`).
 * Returns milliseconds by suite. Every problem — not JSON, not an object, a value that is not a number of seconds
 * ≥ 0, a suite the config does not declare — is a `ConfigError` naming the flag and key.
 */
export async function readTestTimes(
  file: string,
  declared: readonly string[],
  flag = '--test-times',
): Promise<Map<string, number>> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw ConfigError.field(flag, `cannot read ${file} (${error.code ?? error.message})`, 'test times');
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw ConfigError.field(
      flag,
      `${file} is not JSON (${(error as Error).message}); expected {"<suite>": <seconds>, …}`,
      'test times',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw ConfigError.field(flag, `${file} must hold a JSON object {"<suite>": <seconds>, …}`, 'test times');
  const issues: ConfigIssue[] = [];
  const times = new Map<string, number>();
  for (const [suite, seconds] of Object.entries(parsed)) {
    const path = `${flag} ${file}: ${suite}`;
    if (!declared.includes(suite))
      issues.push({ path, message: `unknown suite "${suite}"; declared: ${declared.join(', ')}` });
    else if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0)
      issues.push({
        path,
        message: `expected the seconds its tests took (a number ≥ 0), got ${JSON.stringify(seconds)}`,
      });
    else times.set(suite, Math.round(seconds * 1000));
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'test times' });
  return times;
}
