import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { killQuietly, waitUntilDead } from '../testing-internal/processes.js';

/*
 * Why `outputDir` exists: this process killed outright (SIGKILL, OOM) while a command runs. The command is in its
 * own process group and goes on, but a pipe to a dead reader breaks: at its next line the program dies of SIGPIPE,
 * before any cleanup of its own (a podman build then leaves its buildah working containers). Files never break.
 * The runner runs in a real parent process (the built package), which the test kills.
 */

const scratch = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-output-files-int-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const dist = new URL('../../dist/index.js', import.meta.url).href;

/** The child: notes its pid, says it started, waits for its parent to die, then prints a line and leaves a mark. */
const CHILD = [
  'echo $$ > "$1"',
  'echo started',
  'while kill -0 "$2" 2>/dev/null; do sleep 0.05; done',
  'echo after-the-parent-died',
  'touch "$3"',
].join('; ');

const PARENT = `
  import { createCommandRunner } from ${JSON.stringify(dist)};
  const [outputDir, pidFile, mark] = process.argv.slice(1);
  createCommandRunner().run('sh', ['-c', ${JSON.stringify(CHILD)}, 'sh', pidFile, String(process.pid), mark], {
    ...(outputDir ? { outputDir } : {}),
    log: (line) => { if (line.text === 'started') console.log('child started'); },
  }).catch(() => {});
`;

it.each([
  { way: 'its output in files (outputDir)', files: true, outcome: 'finishes its work' },
  { way: 'its output in pipes', files: false, outcome: 'dies of SIGPIPE at its next line' },
])('the parent killed mid-command, a command with $way $outcome', async ({ files }) => {
  const dir = join(scratch, files ? 'files' : 'pipes');
  mkdirSync(dir);
  const pidFile = join(dir, 'pid');
  const mark = join(dir, 'finished');
  const parent = spawn(
    process.execPath,
    ['--input-type=module', '-e', PARENT, files ? dir : '', pidFile, mark],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let child: number | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        seen += chunk;
        if (seen.includes('child started')) resolve();
      });
      parent.once('exit', (code) =>
        reject(new Error(`the parent exited (${code}) before its child started`)),
      );
    });
    child = Number(readFileSync(pidFile, 'utf8'));
    parent.kill('SIGKILL');
    expect(await waitUntilDead(child)).toBe(true);

    expect(existsSync(mark)).toBe(files);
    if (files) expect(readFileSync(join(dir, 'stdout'), 'utf8')).toBe('started\nafter-the-parent-died\n');
  } finally {
    killQuietly(parent.pid);
    killQuietly(child);
  }
});
