import {
  cleanupOrphanedRun,
  createCommandRunner,
  findOrphanedRuns,
  formatCleanupReport,
  type LogSink,
  type OrphanedRun,
  type OrphanRemover,
  resolveStateDir,
} from '@kubernaut-e2e/core';
import type { RuntimeName } from './options.js';

/**
 * What removes each kind of thing a killed run recorded: images and build processes through the engine that
 * built them, clusters through kind, temp files and processes by core's own removers. Real adapters load only
 * when there are orphans to remove.
 */
async function orphanRemovers(runtime: RuntimeName): Promise<Record<string, OrphanRemover>> {
  const runner = createCommandRunner();
  const [{ createKindOrphanRemover }, { createEngine, createImageOrphanRemovers }] = await Promise.all([
    import('@kubernaut-e2e/cluster'),
    import('@kubernaut-e2e/image-builder'),
  ]);
  const fallback = runtime === 'docker' ? 'docker' : 'podman';
  return {
    ...createImageOrphanRemovers(createEngine('podman', runner)),
    ...createImageOrphanRemovers(createEngine('docker', runner)),
    kind: createKindOrphanRemover(runner, fallback),
  };
}

/** Runs whose owner process is gone while they still hold things, for `status`; `service` narrows them. */
export function orphanedRuns(env: NodeJS.ProcessEnv = process.env, service?: string): readonly OrphanedRun[] {
  const { orphans } = findOrphanedRuns(resolveStateDir(env));
  return service === undefined ? orphans : orphans.filter((o) => o.run.service === service);
}

/**
 * Removes what dead runs of `service` left (a SIGKILLed `up`, a crashed test process): called before a real setup
 * of the service and by `down`. Returns the report lines (what was removed, what is left with its command).
 */
export async function removeOrphansOf(
  service: string,
  runtime: RuntimeName,
  env: NodeJS.ProcessEnv = process.env,
  log?: LogSink,
): Promise<string[]> {
  const orphans = orphanedRuns(env, service);
  if (orphans.length === 0) return [];
  const removers = await orphanRemovers(runtime);
  const lines: string[] = [];
  for (const orphan of orphans) {
    const report = await cleanupOrphanedRun(orphan, { removers, ...(log ? { log } : {}) });
    if (!report) continue; // another process is cleaning it
    lines.push(
      `run ${orphan.run.runId} of ${service} (pid ${orphan.run.owner.pid}, started ${orphan.run.startedAt}) was left behind:`,
      ...formatCleanupReport(report).map((l) => `  ${l}`),
    );
  }
  for (const text of lines) log?.({ source: 'cleanup', stream: 'info', text, at: Date.now() });
  return lines;
}
