import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The lines of the README's `## Quick start` shell block. */
function quickStart(): string[] {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Quick start\n'));
  const block = section && /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md has no "## Quick start" section with a ```sh block');
  return block[1]!.trimEnd().split('\n');
}

/** The commands `.ci/run` runs, one per line, without comments and shell helpers. */
function ciCommands(): string[] {
  return readFileSync(resolve(ROOT, '.ci/run'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('pnpm '));
}

describe("the README's quick start", () => {
  it('is exactly two command lines: install and set up the gateway on the simulated toolchain, then the tests', () => {
    const lines = quickStart();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/pnpm install && pnpm e2e up gateway --runtime sim$/);
  });

  it('is what CI runs: .ci/run runs the same test command and the same up', () => {
    const [install, test] = quickStart();
    const ci = ciCommands();
    expect(ci).toContain(test);
    expect(ci).toContain(install!.slice(install!.lastIndexOf('pnpm e2e ')));
  });
});
