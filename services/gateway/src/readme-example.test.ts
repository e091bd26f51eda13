import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// CI runs these example files in an npm-installed project (.ci/packed-install.sh); the docs must show them as they are.
const EXAMPLE = resolve(import.meta.dirname, '../example');
const ROOT = resolve(import.meta.dirname, '../../..');
const shown = (file: string, source: string) => `\`example/${file}\`:\n\n\`\`\`ts\n${source}\`\`\``;

describe('the vitest example in the docs', () => {
  it.each(['vitest.config.ts', 'global-setup.ts', 'gateway.e2e.test.ts'])(
    'docs/guide/vitest-suites.md shows example/%s verbatim',
    async (file) => {
      const guide = await readFile(resolve(ROOT, 'docs/guide/vitest-suites.md'), 'utf8');
      expect(guide).toContain(shown(file, await readFile(resolve(EXAMPLE, file), 'utf8')));
    },
  );

  it.each(['vitest.config.ts', 'global-setup.ts'])('the README shows example/%s verbatim', async (file) => {
    const readme = await readFile(resolve(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(shown(file, await readFile(resolve(EXAMPLE, file), 'utf8')));
  });
});
