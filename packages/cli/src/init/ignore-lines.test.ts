import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendIgnoreLines } from './ignore-lines.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-ignore-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('appendIgnoreLines', () => {
  it('creates a missing file with the lines, and a second call adds nothing', () => {
    const file = join(dir, '.gitignore');
    expect(appendIgnoreLines(file, ['node_modules/'])).toEqual(['node_modules/']);
    const once = readFileSync(file, 'utf8');
    expect(once).toBe('# kubernaut-e2e (written by kubernaut-e2e init)\nnode_modules/\n');
    expect(appendIgnoreLines(file, ['node_modules/'])).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(once);
  });

  it('keeps a last line that had no newline, and the lines before it, as they were', () => {
    const file = join(dir, '.dockerignore');
    writeFileSync(file, '*.md\nmigrations/');
    appendIgnoreLines(file, ['node_modules']);
    expect(readFileSync(file, 'utf8')).toBe(
      '*.md\nmigrations/\n\n# kubernaut-e2e (written by kubernaut-e2e init)\nnode_modules\n',
    );
  });

  it.each(['node_modules', '/node_modules', '/node_modules/', '**/node_modules', '  node_modules/  '])(
    'an equivalent spelling (%j) counts as present',
    (line) => {
      const file = join(dir, '.gitignore');
      writeFileSync(file, `bin/\n${line}\n`);
      expect(appendIgnoreLines(file, ['node_modules/'])).toEqual([]);
      expect(readFileSync(file, 'utf8')).toBe(`bin/\n${line}\n`);
    },
  );

  it('adds only the lines that are missing', () => {
    const file = join(dir, '.gitignore');
    writeFileSync(file, 'node_modules/\n');
    expect(appendIgnoreLines(file, ['node_modules/', '/.state/kubernaut-e2e/runs/'])).toEqual([
      '/.state/kubernaut-e2e/runs/',
    ]);
    expect(readFileSync(file, 'utf8')).toContain('\n/.state/kubernaut-e2e/runs/\n');
  });

  it('an allow-list file (`*` then `!keep`) already ignores everything else', () => {
    const file = join(dir, '.dockerignore');
    writeFileSync(file, '*\n!cmd/\n');
    expect(appendIgnoreLines(file, ['node_modules'])).toEqual([]);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('*\n!cmd/\n');
  });
});
