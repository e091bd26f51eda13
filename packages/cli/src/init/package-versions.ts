import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI_PACKAGE = '@kubernaut-e2e/cli';

/** The nearest package.json named `name` from `start` up, or undefined. */
function manifestAbove(start: string, name: string): { version: string } | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name && typeof manifest.version === 'string')
        return { version: manifest.version };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** This CLI's own version, from its package.json. */
export function cliVersion(): string {
  const own = manifestAbove(dirname(fileURLToPath(import.meta.url)), CLI_PACKAGE);
  if (own === undefined) throw new Error(`${CLI_PACKAGE}'s package.json not found above ${import.meta.url}`);
  return own.version;
}

/**
 * The caret range of each package: the version installed beside this CLI (setup is its dependency; a service package
 * when it was installed with it), else this CLI's own version — the packages are released together.
 */
export function versionRanges(names: readonly string[]): Record<string, string> {
  const own = cliVersion();
  const resolveBesideCli = createRequire(import.meta.url).resolve;
  const ranges: Record<string, string> = {};
  for (const name of names) {
    let version = own;
    if (name !== CLI_PACKAGE) {
      try {
        version = manifestAbove(dirname(resolveBesideCli(name)), name)?.version ?? own;
      } catch {
        // Not installed beside the CLI: the CLI's version.
      }
    }
    ranges[name] = `^${version}`;
  }
  return ranges;
}
