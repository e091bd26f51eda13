import { CommandError, ConfigError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { createDockerEngine } from './docker-engine.js';
import { createPodmanEngine } from './podman-engine.js';

describe('copyFromContainer (argv contract)', () => {
  it.each([
    ['podman', createPodmanEngine],
    ['docker', createDockerEngine],
  ] as const)('%s runs `cp <container>:<path> <dir>`', async (binary, create) => {
    const runner = new ScriptedRunner([
      {
        argv: [
          binary,
          'cp',
          'gateway-e2e-control-plane:/coverdata/.',
          '/work/.kubernaut-e2e/gateway/coverage/r1',
        ],
      },
    ]);
    await create(runner).copyFromContainer(
      'gateway-e2e-control-plane',
      '/coverdata/.',
      '/work/.kubernaut-e2e/gateway/coverage/r1',
    );
    runner.assertAllUsed();
  });

  it("surfaces the engine's refusal (no such container) as a CommandError", async () => {
    const runner = new ScriptedRunner([
      {
        match: (argv) => argv[1] === 'cp',
        exitCode: 125,
        // podman 4.3's answer, recorded by copy-from-container.int.test.ts.
        stderr: 'Error: container "gone-control-plane" does not exist',
      },
    ]);
    const error = await createPodmanEngine(runner)
      .copyFromContainer('gone-control-plane', '/coverdata/.', '/tmp/x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).stderrTail[0]).toContain('does not exist');
  });

  it('refuses a relative source path before running anything', async () => {
    const runner = new ScriptedRunner([]);
    await expect(
      createPodmanEngine(runner).copyFromContainer('node', 'coverdata', '/tmp/x'),
    ).rejects.toBeInstanceOf(ConfigError);
    expect(runner.calls).toHaveLength(0);
  });
});
