import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CommandError } from '../errors/command-error.js';
import { ConfigError } from '../errors/config-error.js';
import type { LogLine } from '../ports/log-sink.js';
import { CHILD_PROCESS_TIMEOUT_MS } from '../testing-internal/processes.js';
import { createCommandRunner } from './create-command-runner.js';

const node = process.execPath;
const scratch = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-output-files-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const runner = createCommandRunner();

function freshDir(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  return dir;
}

it(
  'with outputDir, lines reach the log while the command runs, and the result and its failure carry the output',
  async () => {
    const dir = freshDir('streams');
    const go = join(scratch, 'go');
    // The child waits for a file the test writes only once the first line reached the log: streaming, not buffering.
    const script = `
      const fs = require('node:fs');
      console.log('first line');
      const wait = setInterval(() => {
        if (!fs.existsSync(${JSON.stringify(go)})) return;
        clearInterval(wait);
        console.log('second line');
        console.error('it broke: exit 3');
        process.exitCode = 3;
      }, 10);`;
    const lines: LogLine[] = [];
    const error = await runner
      .run(node, ['-e', script], {
        outputDir: dir,
        logSource: 'child',
        log: (line) => {
          lines.push(line);
          if (line.text === 'first line') writeFileSync(go, '');
        },
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).exitCode).toBe(3);
    expect((error as CommandError).stderrTail).toEqual(['it broke: exit 3']);
    expect(lines.map((l) => [l.source, l.stream, l.text])).toEqual([
      ['child', 'stdout', 'first line'],
      ['child', 'stdout', 'second line'],
      ['child', 'stderr', 'it broke: exit 3'],
    ]);
    expect(readFileSync(join(dir, 'stdout'), 'utf8')).toBe('first line\nsecond line\n');
  },
  CHILD_PROCESS_TIMEOUT_MS,
);

it(
  'with outputDir, a successful result has stdout and stderr as with pipes, a last line without newline included',
  async () => {
    const result = await runner.run(
      node,
      ['-e', 'process.stdout.write("a\\nb"); process.stderr.write("warning\\n")'],
      { outputDir: freshDir('result') },
    );
    expect(result.stdout).toBe('a\nb');
    expect(result.stderr).toBe('warning');
    expect(result.exitCode).toBe(0);
  },
  CHILD_PROCESS_TIMEOUT_MS,
);

it('an outputDir that does not exist, or already holds output, is refused before anything runs', async () => {
  const marker = join(scratch, 'ran');
  const script = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, '')`;
  await expect(runner.run(node, ['-e', script], { outputDir: join(scratch, 'missing') })).rejects.toThrow(
    ConfigError,
  );
  const used = freshDir('used');
  writeFileSync(join(used, 'stdout'), 'an earlier command');
  const refused = await runner.run(node, ['-e', script], { outputDir: used }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ConfigError);
  expect((refused as ConfigError).message).toMatch(/outputDir/);
  expect(existsSync(marker)).toBe(false);
  expect(readFileSync(join(used, 'stdout'), 'utf8')).toBe('an earlier command');
});
