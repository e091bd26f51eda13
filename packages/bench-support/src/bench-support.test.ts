import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { median, treeBytes } from './index.js';

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });
  it('is the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('leaves its input in the order it was given', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('treeBytes', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('adds the sizes of the files in every directory below, not following links', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-support-'));
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    await writeFile(join(dir, 'one'), 'x'.repeat(10));
    await writeFile(join(dir, 'a', 'b', 'two'), 'y'.repeat(32));
    await symlink(join(dir, 'one'), join(dir, 'a', 'link'));
    expect(await treeBytes(dir)).toBe(42);
  });

  it('is 0 for a directory that does not exist', async () => {
    expect(await treeBytes(join(tmpdir(), 'bench-support-missing-dir-that-is-not-there'))).toBe(0);
  });
});
