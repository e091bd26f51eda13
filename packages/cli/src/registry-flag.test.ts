import { ConfigError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';

describe('--registry', () => {
  it.each([
    ['local', 'local'],
    ['localhost:5001', { url: 'localhost:5001' }],
    ['registry.example.com:5000/e2e', { url: 'registry.example.com:5000/e2e' }],
  ])('takes %s', (value, expected) => {
    expect(parseCliArgs(['up', 'gateway', '--registry', value], {}).registry).toEqual(expected);
  });

  it.each([
    ['localhost', 'has no port'],
    ['https://registry.example.com:5000', 'has a scheme'],
    ['registry.example.com:5000/E2E', 'prefix'],
  ])('refuses %s as bad input, naming the flag', (value, text) => {
    const error = (() => {
      try {
        return parseCliArgs(['up', 'gateway', '--registry', value], {});
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe('--registry');
    expect((error as ConfigError).issues[0]!.message).toContain(text);
  });
});
