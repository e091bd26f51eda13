import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readTestTimes } from './test-times.js';

const dir = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-test-times-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const declared = ['gateway', 'datastorage'];

describe('readTestTimes', () => {
  it('reads seconds per suite as milliseconds', async () => {
    const times = await readTestTimes(file('ok.json', '{"gateway": 412, "datastorage": 295.5}'), declared);
    expect(Object.fromEntries(times)).toEqual({ gateway: 412_000, datastorage: 295_500 });
  });

  it('refuses what is not an object of seconds by declared suite, naming the flag and the key', async () => {
    const refused = async (text: string) => {
      const error = await readTestTimes(file('bad.json', text), declared).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues;
    };
    expect(await refused('{"gateway": 1, "gatway": 2}')).toEqual([
      {
        path: expect.stringMatching(/^--test-times .*bad\.json: gatway$/),
        message: 'unknown suite "gatway"; declared: gateway, datastorage',
      },
    ]);
    expect((await refused('{"gateway": "5m"}'))[0]?.message).toMatch(/a number ≥ 0\), got "5m"/);
    expect((await refused('{"gateway": -1}'))[0]?.message).toMatch(/a number ≥ 0\), got -1/);
    expect((await refused('[1, 2]'))[0]?.message).toMatch(/must hold a JSON object/);
    expect((await refused('{gateway: 1}'))[0]).toMatchObject({
      path: '--test-times',
      message: expect.stringMatching(/is not JSON/),
    });
  });
});
