import { describe, it } from 'vitest';
import { findExecutable } from '../tools/find-executable.js';

/** What the suite body receives: the absolute path of each required binary. */
export interface BinariesContext {
  readonly paths: Readonly<Record<string, string>>;
}

/** The reason an integration suite cannot run here, or `undefined` when every binary is present. */
export function missingBinariesMessage(
  binaries: readonly string[],
  aptPackages: Readonly<Record<string, string>>,
  pathVariable = process.env.PATH ?? '',
): string | undefined {
  const missing = binaries.filter((b) => findExecutable(b, pathVariable) === undefined);
  if (missing.length === 0) return undefined;
  const packages = [...new Set(missing.map((b) => aptPackages[b] ?? b))];
  return `requires ${missing.map((b) => `\`${b}\``).join(', ')}, not found on PATH — install with \`apt-get install -y ${packages.join(' ')}\``;
}

/**
 * A vitest `describe` for integration tests that need real binaries. When one is missing the suite is
 * registered as skipped with a title naming the binary and its Debian package — except under
 * `CI=true`, where it is a failing test instead: CI must never pass by silently skipping.
 */
export function describeWithBinaries(
  binaries: readonly string[],
  aptPackages: Readonly<Record<string, string>>,
  fn: (ctx: BinariesContext) => void,
): void {
  const title = `with ${binaries.join(', ')}`;
  const missing = missingBinariesMessage(binaries, aptPackages);
  if (missing === undefined) {
    const paths = Object.fromEntries(binaries.map((b) => [b, findExecutable(b)!]));
    describe(title, () => fn({ paths }));
    return;
  }
  if (process.env.CI === 'true') {
    describe(title, () => {
      it(`cannot run in CI: ${missing}`, () => {
        throw new Error(
          `Integration suite ${title} ${missing}. CI must provide every binary it tests against.`,
        );
      });
    });
    return;
  }
  describe.skip(`${title} (skipped: ${missing})`, () => {
    it(`needs ${binaries.join(', ')}`, () => {});
  });
}
