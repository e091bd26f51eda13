import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { createCommandRunner } from '../runner/create-command-runner.js';
import { CHILD_PROCESS_TIMEOUT_MS } from '../testing-internal/processes.js';
import { TYPESCRIPT_NODE_ARGS } from '../testing-internal/typescript-child.js';
import { imageTagSchema } from '../validation/image-ref.js';
import { contentHashTag, uniqueTag } from './tags.js';

describe('uniqueTag', () => {
  it('is `<consumer>-<16 hex digits>` and a valid image tag', () => {
    const tag = uniqueTag('gateway-e2e');
    expect(tag).toMatch(/^gateway-e2e-[0-9a-f]{16}$/);
    expect(imageTagSchema.safeParse(tag).success).toBe(true);
  });

  it('stays a valid tag for the longest consumer it accepts', () => {
    const tag = uniqueTag('c'.repeat(111));
    expect(tag).toHaveLength(128);
    expect(imageTagSchema.safeParse(tag).success).toBe(true);
  });

  it.each(['', '-gateway', '.x', 'gate/way', 'gate way', 'c'.repeat(112)])(
    'rejects consumer %j',
    (consumer) => {
      expect(() => uniqueTag(consumer)).toThrow(ConfigError);
    },
  );

  describe('across processes', () => {
    it(
      'never repeats in 100,000 tags made by 4 processes started at the same moment',
      async () => {
        const runner = createCommandRunner();
        const script = `
        const { uniqueTag } = await import(${JSON.stringify(join(import.meta.dirname, 'tags.ts'))});
        const tags = [];
        for (let i = 0; i < 25000; i++) tags.push(uniqueTag('gateway-e2e'));
        process.stdout.write(tags.join('\\n'));
      `;
        const outputs = await Promise.all(
          [0, 1, 2, 3].map(() =>
            runner.run(process.execPath, [...TYPESCRIPT_NODE_ARGS, '--input-type=module', '-e', script]),
          ),
        );
        const tags = outputs.flatMap((o) => o.stdout.split('\n'));
        expect(tags).toHaveLength(100_000);
        expect(tags.every((t) => /^gateway-e2e-[0-9a-f]{16}$/.test(t))).toBe(true);
        expect(new Set(tags).size).toBe(100_000);
      },
      CHILD_PROCESS_TIMEOUT_MS,
    );
  });
});

describe('contentHashTag', () => {
  const digest = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

  it('is deterministic: the same hash gives the same tag', () => {
    expect(contentHashTag('datastorage', digest)).toBe('datastorage-e3b0c44298fc1c14');
    expect(contentHashTag('datastorage', digest)).toBe(contentHashTag('datastorage', digest));
  });

  it('drops an algorithm prefix and lower-cases the hex', () => {
    expect(contentHashTag('ds', `sha256:${digest.toUpperCase()}`)).toBe('ds-e3b0c44298fc1c14');
  });

  it('differs when the content differs', () => {
    expect(contentHashTag('ds', `f${digest.slice(1)}`)).not.toBe(contentHashTag('ds', digest));
  });

  it('rejects a hash that is not hex or too short, and a bad consumer', () => {
    expect(() => contentHashTag('ds', 'not-a-hash-at-all!')).toThrow(/is not a content hash/);
    expect(() => contentHashTag('ds', 'abc123')).toThrow(ConfigError);
    expect(() => contentHashTag('Bad/Consumer', digest)).toThrow(/cannot start an image tag/);
  });
});
