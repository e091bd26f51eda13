import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// CI runs these example files in an npm-installed project (.ci/packed-install.sh); the README must show them as they are.
const EXAMPLE = resolve(import.meta.dirname, '../example');
const README = resolve(import.meta.dirname, '../../../README.md');

describe('the README’s vitest example', () => {
  it.each(['vitest.config.ts', 'global-setup.ts', 'gateway.e2e.test.ts'])(
    'shows example/%s verbatim',
    async (file) => {
      const readme = await readFile(README, 'utf8');
      const source = await readFile(resolve(EXAMPLE, file), 'utf8');
      expect(readme).toContain(`\`example/${file}\`:\n\n\`\`\`ts\n${source}\`\`\``);
    },
  );
});
