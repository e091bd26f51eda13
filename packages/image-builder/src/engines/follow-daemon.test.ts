import { CancelledError, type LogLine } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { CommittedImages } from '../build-result.js';
import { runBuildCommand } from './build-process.js';

/*
 * A docker build whose client is stopped is followed until the daemon has stopped building it: the daemon finishes
 * the step in progress and commits it, which the stopped client never prints. The argv here is docker's; what the
 * daemon answers is scripted (the real daemon's behaviour is covered by build-cancel-loop.docker.int.test.ts).
 */
const id = (c: string) => c.repeat(64);
const [BASE, STEP2, LATE1, LATE2, OTHER] = ['a', 'b', 'e', 'f', '9'].map(id) as [
  string,
  string,
  string,
  string,
  string,
];

describe('a stopped docker build is followed until the daemon is done', () => {
  it('waits while a container still runs from its last image, then reports the images committed after it', async () => {
    let polls = 0;
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[1] === 'build',
        lines: [
          'Step 1/5 : FROM base',
          ` ---> ${BASE.slice(0, 12)}`,
          'Step 2/5 : LABEL a=b',
          ` ---> ${STEP2.slice(0, 12)}`,
          'Step 3/5 : LABEL c=d',
        ],
        hang: true,
      },
      {
        match: (argv) => argv.includes('ps'),
        times: Number.POSITIVE_INFINITY,
        respond: ({ argv }) => {
          expect(argv).toEqual([
            'docker',
            'ps',
            '--all',
            '--quiet',
            '--no-trunc',
            '--filter',
            `ancestor=${STEP2.slice(0, 12)}`,
          ]);
          polls++;
          return { stdout: polls < 3 ? `${id('c')}\n` : '' };
        },
      },
      {
        argv: ['docker', 'images', '--all', '--quiet', '--no-trunc'],
        stdout: [BASE, STEP2, LATE1, LATE2, OTHER].map((i) => `sha256:${i}`).join('\n'),
      },
      {
        match: (argv) => argv[1] === 'image' && argv[2] === 'inspect',
        stdout: [
          `sha256:${LATE2} sha256:${LATE1}`,
          `sha256:${LATE1} sha256:${STEP2}`,
          `sha256:${STEP2} sha256:${BASE}`,
          `sha256:${OTHER} sha256:${BASE}`,
          `sha256:${BASE} `,
        ].join('\n'),
      },
    ]);
    const lines: LogLine[] = [];
    const committed = new CommittedImages();
    const controller = new AbortController();
    const build = runBuildCommand({
      runner,
      binary: 'docker',
      args: ['build', '.'],
      policy: 'terminate-client',
      options: {
        signal: controller.signal,
        log: (line) => {
          lines.push(line);
          committed.observe(line.text);
        },
      },
    });
    await runner.waitForCall((call) => call.argv[1] === 'build');
    controller.abort(new Error('SIGINT'));
    await expect(build).rejects.toBeInstanceOf(CancelledError);
    // Polled until no container ran from the build's last image any more.
    expect(polls).toBe(3);
    expect(lines.filter((l) => l.text.startsWith('daemon committed')).map((l) => l.text)).toEqual([
      `daemon committed ${LATE1} after the build's client stopped`,
      `daemon committed ${LATE2} after the build's client stopped`,
    ]);
    // The build's own images: the step it printed, then the late ones (removed newest first, children before parents).
    expect(committed.ids).toEqual([STEP2.slice(0, 12), LATE1, LATE2]);
    runner.assertAllUsed();
  });

  it('a build that failed by itself is not followed (the daemon ended it)', async () => {
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[1] === 'build',
        lines: ['Step 1/2 : FROM base', ` ---> ${BASE.slice(0, 12)}`],
        exitCode: 1,
      },
    ]);
    await expect(
      runBuildCommand({
        runner,
        binary: 'docker',
        args: ['build', '.'],
        policy: 'terminate-client',
        options: {},
      }),
    ).rejects.toThrow();
    expect(runner.argvs).toHaveLength(1);
  });
});
