import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenLinks, documentationFiles, headingAnchors, markdownLinks } from './markdown-links.js';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('the repository docs', () => {
  const files = documentationFiles(ROOT);

  it('include the README, docs/ and every package README', () => {
    const names = files.map((file) => relative(ROOT, file));
    expect(names).toContain('README.md');
    expect(names).toContain('docs/README.md');
    expect(names).toContain('packages/cli/README.md');
    expect(names).toContain('services/gateway/README.md');
    expect(names).toContain('examples/go-suite/README.md');
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))(
    '%s: every relative link and #anchor resolves',
    (_name, file) => {
      expect(brokenLinks(file, ROOT)).toEqual([]);
    },
  );
});

describe('the link checker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a missing file, a missing heading and a missing heading in a directory README', () => {
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(join(dir, 'pkg/README.md'), '# pkg\n\n## The dev loop\n');
    writeFileSync(join(dir, 'other.md'), '# Other\n');
    writeFileSync(
      join(dir, 'README.md'),
      [
        '# Top',
        '[ok](other.md) [ok](pkg#the-dev-loop) [ok](#top) [web](https://example.com/missing)',
        '[gone](docs/gone.md)',
        '[no heading](other.md#nowhere) [dir](pkg#nowhere)',
        '`[in code](not/checked.md)`',
        '```',
        '[in a fence](not/checked.md)',
        '```',
      ].join('\n'),
    );
    expect(brokenLinks(join(dir, 'README.md'), dir)).toEqual([
      { file: 'README.md', line: 3, target: 'docs/gone.md', problem: 'docs/gone.md does not exist' },
      { file: 'README.md', line: 4, target: 'other.md#nowhere', problem: 'other.md has no heading #nowhere' },
      { file: 'README.md', line: 4, target: 'pkg#nowhere', problem: 'pkg/README.md has no heading #nowhere' },
    ]);
  });

  it('makes anchors as GitHub does: code and punctuation dropped, repeats numbered', () => {
    const anchors = headingAnchors(
      '# Migrating a suite from `standard` to `dag`\n## Config file\n## Config file\n### `dev <service>`\n```\n# not a heading\n```\n',
    );
    expect([...anchors]).toEqual([
      'migrating-a-suite-from-standard-to-dag',
      'config-file',
      'config-file-1',
      'dev-service',
    ]);
  });

  it('finds inline links, images and reference definitions with their lines', () => {
    expect(markdownLinks('see [a](a.md "title") and ![b](img/b.png)\n\n[ref]: <c.md#x>\n')).toEqual([
      { target: 'a.md', line: 1 },
      { target: 'img/b.png', line: 1 },
      { target: 'c.md#x', line: 3 },
    ]);
  });
});
