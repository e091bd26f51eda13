import type { PersistedEntry } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { createPodmanEngine } from './engines/podman-engine.js';
import type { ProcessTree } from './engines/proc-tree.js';
import { createImageOrphanRemovers } from './orphan-removers.js';

const REF = 'localhost/kubernaut/gateway:gateway-e2e-0123456789abcdef';
const missing = (what: string) => ({
  stderr: `Error: inspecting object: ${what}: image not known`,
  exitCode: 125,
});

const untagged = (id: string) =>
  JSON.stringify([{ Id: id.padEnd(64, '0'), RepoTags: [], Labels: { 'io.kubernaut-e2e.run': 'run-1' } }]);

/** A dead run's entry for a build's result, as the builder writes it to disk. */
const buildEntry: PersistedEntry = {
  id: 1,
  kind: 'image',
  name: REF,
  resource: {
    tool: 'podman',
    details: { runId: 'run-1', contentHash: 'abc', intermediates: '3a6645ab723,b1aacee0529' },
  },
  recordedAt: '2026-11-27T18:00:00.000Z',
};

describe('createImageOrphanRemovers', () => {
  it("removes a dead run's build result: its tag if still its own, each committed image, then labelled debris", async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['podman', 'image', 'inspect', REF],
        stdout: JSON.stringify([
          { Id: 'f'.repeat(64), RepoTags: [REF], Labels: { 'io.kubernaut-e2e.run': 'run-1' } },
        ]),
      },
      { argv: ['podman', 'rmi', REF] },
      { argv: ['podman', 'image', 'inspect', 'b1aacee0529'], stdout: untagged('b1aacee0529') },
      { argv: ['podman', 'image', 'inspect', '3a6645ab723'], stdout: untagged('3a6645ab723') },
      { argv: ['podman', 'rmi', 'b1aacee0529'] },
      { argv: ['podman', 'rmi', '3a6645ab723'] },
      {
        argv: ['podman', 'images', '--filter', 'label=io.kubernaut-e2e.run=run-1', '--format', 'json'],
        stdout: '[]',
      },
    ]);
    const removers = createImageOrphanRemovers(createPodmanEngine(runner));
    await removers.podman!.remove(buildEntry);
    runner.assertAllUsed();
  });

  it('never removes a tag that names another run’s image by now', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['podman', 'image', 'inspect', REF],
        times: 2,
        stdout: JSON.stringify([
          { Id: 'e'.repeat(64), RepoTags: [REF], Labels: { 'io.kubernaut-e2e.run': 'run-2' } },
        ]),
      },
      // Its committed images are gone already: nothing to remove, nothing exists.
      { argv: ['podman', 'image', 'inspect', 'b1aacee0529'], times: 2, ...missing('b1aacee0529') },
      { argv: ['podman', 'image', 'inspect', '3a6645ab723'], times: 2, ...missing('3a6645ab723') },
      {
        argv: ['podman', 'images', '--filter', 'label=io.kubernaut-e2e.run=run-1', '--format', 'json'],
        times: 2,
        stdout: '[]',
      },
    ]);
    const removers = createImageOrphanRemovers(createPodmanEngine(runner));
    await removers.podman!.remove(buildEntry);
    expect(await removers.podman!.exists!(buildEntry)).toBe(false);
    expect(runner.argvs.some((a) => a[1] === 'rmi' && a[2] === REF)).toBe(false);
    runner.assertAllUsed();
  });

  it('leaves a committed image that a later cache hit tagged for another consumer', async () => {
    const other = 'localhost/kubernaut/gateway:notification-e2e-0123456789abcdef';
    let removed = false;
    const runner = new ScriptedRunner([
      { argv: ['podman', 'image', 'inspect', REF], times: 2, ...missing(REF) },
      {
        argv: ['podman', 'image', 'inspect', 'b1aacee0529'],
        times: 2,
        stdout: JSON.stringify([{ Id: 'b1aacee0529'.padEnd(64, '0'), RepoTags: [other], Labels: {} }]),
      },
      {
        argv: ['podman', 'image', 'inspect', '3a6645ab723'],
        times: 2,
        respond: () => (removed ? missing('3a6645ab723') : { stdout: untagged('3a6645ab723') }),
      },
      {
        argv: ['podman', 'rmi', '3a6645ab723'],
        respond: () => {
          removed = true;
          return {};
        },
      },
      {
        argv: ['podman', 'images', '--filter', 'label=io.kubernaut-e2e.run=run-1', '--format', 'json'],
        times: 2,
        stdout: '[]',
      },
    ]);
    const removers = createImageOrphanRemovers(createPodmanEngine(runner));
    await removers.podman!.remove(buildEntry);
    // What is left is another consumer's image now: this run's result counts as gone.
    expect(await removers.podman!.exists!(buildEntry)).toBe(false);
    expect(runner.argvs.some((a) => a[1] === 'rmi' && a[2] === 'b1aacee0529')).toBe(false);
    runner.assertAllUsed();
  });

  it('removes a plain tag by name', async () => {
    const runner = new ScriptedRunner([{ argv: ['podman', 'rmi', 'localhost/x:tag'] }]);
    await createImageOrphanRemovers(createPodmanEngine(runner)).podman!.remove({
      id: 2,
      kind: 'image',
      name: 'localhost/x:tag',
      resource: { tool: 'podman' },
      recordedAt: '2026-11-27T18:00:00.000Z',
    });
    runner.assertAllUsed();
  });

  it('reports a recorded build process gone when its pid now belongs to another process', async () => {
    const tree: ProcessTree = {
      supported: true,
      descendants: () => [],
      findChild: () => undefined,
      startTime: () => '999',
      executable: () => '/usr/bin/podman',
      alive: () => true,
      signal: () => {
        throw new Error('must not signal a stranger');
      },
    };
    const removers = createImageOrphanRemovers(createPodmanEngine(new ScriptedRunner()), {
      processTree: tree,
    });
    const entry: PersistedEntry = {
      id: 3,
      kind: 'process',
      name: `podman build ${REF}`,
      resource: {
        tool: 'build-process',
        details: { pid: '4242', startTime: '123', policy: 'interrupt-steps' },
      },
      recordedAt: '2026-11-27T18:00:00.000Z',
    };
    expect(await removers['build-process']!.exists!(entry)).toBe(false);
    await removers['build-process']!.remove(entry);
  });
});
