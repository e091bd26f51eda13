import { createCommandRunner, detectTools, SERVICE_LABEL } from '@kubernaut-e2e/core';
import { createEngine } from '@kubernaut-e2e/image-builder';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';

const MIB = 1024 * 1024;

/**
 * `prune [--older-than <duration>]`: removes the images this tool built (they carry the
 * `io.kubernaut-e2e.service` label; an image without it is never touched), with podman and docker alike, and
 * says how much space that freed. With `--older-than`, only images built longer ago than that.
 */
export async function pruneCommand(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
  const runner = createCommandRunner();
  const tools = await detectTools(runner, ['podman', 'docker']);
  const cutoff = args.olderThanMs === undefined ? Number.POSITIVE_INFINITY : Date.now() - args.olderThanMs;
  let freed = 0;
  const removed: string[] = [];
  for (const name of ['podman', 'docker'] as const) {
    if (!tools.some((t) => t.name === name && t.present)) continue;
    const engine = createEngine(name, runner);
    let images: Awaited<ReturnType<NonNullable<typeof engine.listLabelled>>>;
    try {
      images = (await engine.listLabelled?.(SERVICE_LABEL, { signal })) ?? [];
    } catch {
      continue; // a docker client without an engine behind it holds no images of ours
    }
    for (const image of images) {
      if (image.createdAt > cutoff) continue;
      for (const ref of image.refs.length > 0 ? image.refs : [image.id])
        await engine.removeImage(ref, { signal });
      freed += image.sizeBytes ?? 0;
      removed.push(
        `${image.refs[0] ?? image.id} (${name}, ${((image.sizeBytes ?? 0) / MIB).toFixed(1)} MiB)`,
      );
    }
  }
  if (args.json) {
    io.stdout(`${JSON.stringify({ removed, freedBytes: freed }, null, 2)}\n`);
    return ExitCode.Ok;
  }
  io.stdout(
    removed.length === 0
      ? 'No image built by kubernaut-e2e to remove.\n'
      : `Removed ${removed.length} image(s) built by kubernaut-e2e, freed ${(freed / MIB).toFixed(1)} MiB:\n${removed.map((r) => `  ${r}`).join('\n')}\n`,
  );
  return ExitCode.Ok;
}
