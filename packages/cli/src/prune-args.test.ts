import { describe, expect, it } from 'vitest';
import { parseDuration } from './args.js';
import { runCli } from './testing-internal/run-cli.js';

describe('prune --older-than', () => {
  it.each([
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['1h30m', 5_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['-5m', '5', '0s', 'soon', '5 m', ''])(
    'refuses %j with exit 2, before anything runs',
    async (text) => {
      expect(parseDuration(text)).toBeUndefined();
      const run = await runCli(['prune', `--older-than=${text}`], { PATH: '/nonexistent' });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('→ at --older-than');
      expect(run.stderr).toContain('Nothing was run');
    },
  );
});
