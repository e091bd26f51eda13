import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  covdataPercentArgs,
  covdataTextfmtArgs,
  coverHtmlArgs,
  parseCovdataPercent,
  parseGoVersion,
  supportsCovdata,
} from './go-coverage-tools.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../__fixtures__/coverage/${name}`, import.meta.url), 'utf8');

describe('Go coverage tools', () => {
  it('builds the exact covdata and cover command lines', () => {
    expect(covdataPercentArgs('/r/coverage/1/covdata')).toEqual([
      'tool',
      'covdata',
      'percent',
      '-i=/r/coverage/1/covdata',
    ]);
    expect(covdataTextfmtArgs('/r/coverage/1/covdata', '/r/coverage/1/coverage.txt')).toEqual([
      'tool',
      'covdata',
      'textfmt',
      '-i=/r/coverage/1/covdata',
      '-o=/r/coverage/1/coverage.txt',
    ]);
    expect(coverHtmlArgs('/r/coverage/1/coverage.txt', '/r/coverage/1/coverage.html')).toEqual([
      'tool',
      'cover',
      '-html=/r/coverage/1/coverage.txt',
      '-o',
      '/r/coverage/1/coverage.html',
    ]);
  });

  it('reads `go version` and knows covdata needs Go 1.20', () => {
    const old = parseGoVersion(fixture('go-version-go1.19.stdout.txt'))!;
    expect(old).toEqual({ text: 'go1.19.8', major: 1, minor: 19, patch: 8 });
    expect(supportsCovdata(old)).toBe(false);
    const current = parseGoVersion(fixture('go-version-go1.22.stdout.txt'))!;
    expect(supportsCovdata(current)).toBe(true);
    expect(supportsCovdata({ text: 'go1.20', major: 1, minor: 20 })).toBe(true);
    expect(supportsCovdata({ text: 'go2.0', major: 2, minor: 0 })).toBe(true);
    expect(parseGoVersion('command not found')).toBeUndefined();
  });

  it('parses `covdata percent` as Go 1.20 prints it (one tab, [no statements])', () => {
    expect(parseCovdataPercent(fixture('covdata-percent-go1.20.stdout.txt'))).toEqual([
      { importPath: 'github.com/jordigilh/kubernaut/cmd/gateway', percent: 61.5 },
      { importPath: 'github.com/jordigilh/kubernaut/pkg/gateway', percent: 72.4 },
      { importPath: 'github.com/jordigilh/kubernaut/pkg/gateway/config', percent: undefined },
      { importPath: 'github.com/jordigilh/kubernaut/pkg/gateway/processing', percent: 58.9 },
    ]);
  });

  it('parses `covdata percent` as later Go prints it (two tabs), skipping other lines', () => {
    const parsed = parseCovdataPercent(
      `warning: no applicable files found in input directories\n${fixture('covdata-percent-go1.22.stdout.txt')}`,
    );
    expect(parsed.map((p) => p.percent)).toEqual([61.5, 72.4, 58.9, 100]);
    expect(parsed[3]!.importPath).toBe('github.com/jordigilh/kubernaut/pkg/shared/types');
  });
});
