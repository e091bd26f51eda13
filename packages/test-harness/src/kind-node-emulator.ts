import { stat } from 'node:fs/promises';
import type { CommandResult, CommandRunner, RunningCommand, RunOptions } from '@kubernaut-e2e/core';
import type { PrivateContainerd } from './private-containerd.js';

/**
 * A `CommandRunner` that plays a one-node kind cluster backed by a real containerd: it answers
 * `kind load image-archive <archive> --name <cluster>` by importing the archive into that containerd
 * the way kind's node does (`ctr -n k8s.io images import --all-platforms --digests -` with the archive on
 * stdin), and passes every other command (podman save, …) to the real runner. kind itself cannot be
 * installed here; its argv is checked exactly in the unit tests.
 */
export class KindNodeEmulator implements CommandRunner {
  /** Every archive `kind load` was given, with its size: the bytes written to temp disk. */
  readonly archives: { path: string; bytes: number }[] = [];

  constructor(
    private readonly real: CommandRunner,
    private readonly node: PrivateContainerd,
    private readonly clusterName: string,
  ) {}

  async run(file: string, args: readonly string[], options?: RunOptions): Promise<CommandResult> {
    if (file !== 'kind') return this.real.run(file, args, options);
    const [verb, what, archive, nameFlag, cluster, ...rest] = args;
    if (verb !== 'load' || what !== 'image-archive' || !archive || nameFlag !== '--name' || rest.length > 0) {
      throw new Error(
        `KindNodeEmulator only plays \`kind load image-archive <archive> --name <cluster>\`, got kind ${args.join(' ')}`,
      );
    }
    if (cluster !== this.clusterName) {
      throw new Error(`ERROR: no nodes found for cluster "${cluster}"`);
    }
    this.archives.push({ path: archive, bytes: (await stat(archive)).size });
    const started = Date.now();
    await this.node.importArchive(archive);
    return { argv: ['kind', ...args], stdout: '', stderr: '', exitCode: 0, durationMs: Date.now() - started };
  }

  start(file: string, args: readonly string[], options?: RunOptions): RunningCommand {
    return this.real.start(file, args, options);
  }
}
