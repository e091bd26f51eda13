import { readFileSync } from 'node:fs';
import { CommandError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { buildArgs } from './cli-engine.js';
import { FailedStepOutput } from './failed-step.js';
import { createPodmanEngine, podmanDialect } from './podman-engine.js';

const fixture = (name: string) => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');
const request = {
  ref: 'localhost/kubernaut/gateway:gateway-e2e-0123456789ab',
  dockerfile: '/src/docker/go/gateway.Dockerfile',
  context: '/src',
  buildArgs: {},
  labels: {},
};

/** podman's stdout of a multi-stage Go build whose compile step fails (shape of podman 4.3.1's output). */
const goFailureStdout = [
  '[1/2] STEP 1/8: FROM localhost/kubernaut-e2e/go-builder:ef99556f1d4f AS builder',
  '[1/2] STEP 7/8: COPY cmd/gateway/ cmd/gateway/',
  '--> 1f0c2d3e4a5',
  '[1/2] STEP 8/8: RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/gateway ./cmd/gateway',
  '# github.com/jordigilh/kubernaut/pkg/gateway/api',
  'pkg/gateway/api/zz_broken.go:4:1: syntax error: non-declaration statement outside function body',
  'pkg/gateway/api/zz_broken.go:5:9: missing return',
  'subprocess exited with status 1',
].join('\n');
const goFailureStderr =
  'Error: building at STEP "RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/gateway ./cmd/gateway": exit status 1\n';

async function failedBuild(stdout: string, stderr: string): Promise<CommandError> {
  const runner = new ScriptedRunner([
    { argv: ['podman', ...buildArgs(podmanDialect(), request)], stdout, stderr, exitCode: 1 },
  ]);
  const error = await createPodmanEngine(runner, { env: {} })
    .build(request)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CommandError);
  return error as CommandError;
}

describe('a failed build step’s output in the error', () => {
  it('carries the compiler’s file:line:col lines, the failing step and podman’s verdict', async () => {
    const error = await failedBuild(goFailureStdout, goFailureStderr);
    expect(error.message).toContain(
      'pkg/gateway/api/zz_broken.go:4:1: syntax error: non-declaration statement outside function body',
    );
    expect(error.message).toContain('pkg/gateway/api/zz_broken.go:5:9: missing return');
    expect(error.stderrTail[0]).toMatch(/^\[1\/2\] STEP 8\/8: RUN /);
    expect(error.stderrTail.at(-1)).toMatch(/^Error: building at STEP/);
    expect(error.exitCode).toBe(1);
    // Only the failing step: not the earlier COPY step's output.
    expect(error.message).not.toContain('--> 1f0c2d3e4a5');
    expect(error.cause).toBeInstanceOf(CommandError);
  });

  it('reads the recorded podman 4.3.1 output of a failed RUN step', async () => {
    const error = await failedBuild(
      fixture('podman-build-failed-step.stdout.txt'),
      fixture('podman-build-failed-step.stderr.txt'),
    );
    expect(error.stderrTail.slice(0, 2)).toEqual(['STEP 4/5: RUN echo failing && exit 3', 'failing']);
  });

  it('keeps the step header and the newest lines of a long step; leaves other errors alone', () => {
    const step = new FailedStepOutput(4);
    step.add('Step 3/5 : RUN make');
    for (let n = 1; n <= 10; n++) step.add(`line ${n}`);
    const failure = new CommandError({
      argv: ['docker', 'build'],
      exitCode: 2,
      timedOut: false,
      stderrTail: [],
    });
    expect((step.explain(failure) as CommandError).stderrTail).toEqual([
      'Step 3/5 : RUN make',
      'line 8',
      'line 9',
      'line 10',
    ]);
    const other = new Error('not a command');
    expect(step.explain(other)).toBe(other);
    expect(new FailedStepOutput().explain(failure)).toBe(failure);
  });
});

describe('a layer-cache lookup racing a concurrent removal', () => {
  it('builds once more when podman lost an image while looking for cached layers', async () => {
    const argv = ['podman', ...buildArgs(podmanDialect(), request)];
    const runner = new ScriptedRunner([
      {
        argv,
        exitCode: 125,
        stderr:
          'Error: checking if cached image exists from a previous build: getting top layer info: layer not known\n',
      },
      { argv },
      { argv: ['podman', 'image', 'inspect', request.ref], stdout: fixture('podman-image-inspect.json') },
    ]);
    const info: string[] = [];
    await createPodmanEngine(runner, { env: {} }).build(request, {
      log: (line) => line.stream === 'info' && info.push(line.text),
    });
    runner.assertAllUsed();
    expect(info).toEqual(['an image was removed while podman looked for cached layers; building once more']);
  });

  it('does not retry any other failure', async () => {
    const error = await failedBuild('', 'Error: building at STEP "RUN false": exit status 1\n');
    expect(error.exitCode).toBe(1);
  });
});
