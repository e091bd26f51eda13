import { describe, expect, it } from 'vitest';
import { DockerIgnore } from './dockerignore.js';

describe('DockerIgnore (docker semantics)', () => {
  it('anchors patterns at the context root, unlike .gitignore', () => {
    const rules = new DockerIgnore('*.md\n');
    expect(rules.excludes('README.md')).toBe(true);
    expect(rules.excludes('docs/guide.md')).toBe(false);
  });

  it('matches anywhere with **', () => {
    const rules = new DockerIgnore('**/*.md');
    expect(rules.excludes('docs/guide.md')).toBe(true);
    expect(rules.excludes('main.go')).toBe(false);
  });

  it('excludes everything below an excluded directory', () => {
    const rules = new DockerIgnore('node_modules\n.git/\n');
    expect(rules.excludes('node_modules/x/index.js')).toBe(true);
    expect(rules.excludes('.git/HEAD')).toBe(true);
    expect(rules.excludes('src/node_modules.go')).toBe(false);
    expect(rules.canPrune('node_modules')).toBe(true);
  });

  it('lets a later ! rule re-include a file inside an excluded directory (docker allows, gitignore does not)', () => {
    const rules = new DockerIgnore('docs\n!docs/keep.md\n');
    expect(rules.excludes('docs/other.md')).toBe(true);
    expect(rules.excludes('docs/keep.md')).toBe(false);
    // With a negation anywhere the walker must still descend.
    expect(rules.canPrune('docs')).toBe(false);
  });

  it('lets the last matching rule win', () => {
    const rules = new DockerIgnore('*.txt\n!important.txt\nimportant.txt\n');
    expect(rules.excludes('important.txt')).toBe(true);
    expect(new DockerIgnore('*.txt\n!important.txt').excludes('important.txt')).toBe(false);
  });

  it('ignores comments, blank lines and leading ./ or /', () => {
    const rules = new DockerIgnore('# a comment\n\n./build\n/tmp\n');
    expect(rules.excludes('build/out.bin')).toBe(true);
    expect(rules.excludes('tmp/x')).toBe(true);
    expect(rules.excludes('# a comment')).toBe(false);
    expect(new DockerIgnore('').isEmpty).toBe(true);
  });
});
