import { readdir } from 'node:fs/promises';
import { listKindClusters } from '@kubernaut-e2e/cluster';
import { createCommandRunner, detectTools, formatRemoveCommand, SERVICE_LABEL } from '@kubernaut-e2e/core';
import { createEngine } from '@kubernaut-e2e/image-builder';
import { clusterFiles, kubeconfigDirectory, type LoadedConfig, orphanedRuns } from '@kubernaut-e2e/setup';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';

/**
 * `status`: which tools are present (with versions), which kind clusters are this tool's (those with a kubeconfig
 * under `~/.kube/kubernaut-e2e/`, and those named as the project config's services name theirs, e.g. `ro-e2e`), and
 * which images it built (labelled with the service they were built for).
 */
export async function statusCommand(
  args: CliArgs,
  config: LoadedConfig | undefined,
  io: CliIo,
): Promise<number> {
  const runner = createCommandRunner();
  const tools = await detectTools(runner, ['podman', 'docker', 'kind', 'kubectl']);
  const present = (name: string) => tools.find((t) => t.name === name)?.present ?? false;

  const ours = [
    ...(await kubeconfigClusters()),
    ...(config?.services ?? []).map((s) => clusterFiles(s, {}, io.env).clusterName),
  ];
  const clusters = present('kind')
    ? (
        await listKindClusters({ runner, engine: present('podman') ? 'podman' : 'docker' }).catch(() => [])
      ).filter((c) => ours.includes(c))
    : [];
  const images: string[] = [];
  let diskBytes = 0;
  for (const engineName of ['podman', 'docker'] as const) {
    if (!present(engineName)) continue;
    const engine = createEngine(engineName, runner);
    try {
      // Every image carrying the tool's label, whichever service (declared or not) it was built for.
      for (const image of (await engine.listLabelled?.(SERVICE_LABEL)) ?? []) {
        diskBytes += image.sizeBytes ?? 0;
        images.push(...image.refs.map((r) => `${r} (${engineName})`));
      }
    } catch {
      // A docker client without an engine cannot list images; the tool table already says so.
    }
  }
  // Runs whose process died (SIGKILL, a crashed test process) while they held clusters, images or files: of the
  // services the project config declares, or of any service without one.
  const orphans = orphanedRuns(io.env).filter(
    (o) => config === undefined || config.services.some((s) => s.name === o.run.service),
  );
  if (args.json) {
    io.stdout(
      `${JSON.stringify({ tools, clusters, images, diskBytes, orphans: orphans.map((o) => o.run) }, null, 2)}\n`,
    );
    return ExitCode.Ok;
  }
  io.stdout('Tools:\n');
  for (const t of tools) {
    io.stdout(
      `  ${t.name.padEnd(8)} ${t.present ? `✔ ${t.version ?? ''}` : '✖ not found'}${t.note ? `  (${t.note})` : ''}\n`,
    );
  }
  io.stdout(`Clusters created by kubernaut-e2e: ${clusters.length ? clusters.join(', ') : 'none'}\n`);
  io.stdout(
    `Images built by kubernaut-e2e (${(diskBytes / 1024 / 1024).toFixed(1)} MiB on disk; \`kubernaut-e2e prune\` removes them): ${images.length ? `\n${images.map((i) => `  ${i}`).join('\n')}` : 'none'}\n`,
  );
  if (orphans.length === 0) {
    io.stdout('Left by runs that died: nothing\n');
    return ExitCode.Ok;
  }
  io.stdout('Left by runs that died (`kubernaut-e2e down <service>` or its next `up` removes them):\n');
  for (const { run } of orphans) {
    io.stdout(`  run ${run.runId} of ${run.service} (pid ${run.owner.pid}, started ${run.startedAt}):\n`);
    // The scheduler and the kind adapter both record a cluster they create: list each thing once.
    const listed = new Set<string>();
    for (const entry of run.entries) {
      if (listed.has(`${entry.kind} ${entry.name}`)) continue;
      listed.add(`${entry.kind} ${entry.name}`);
      io.stdout(
        `    ${entry.kind} ${entry.name}${entry.removeCommand ? `  — ${formatRemoveCommand(entry.removeCommand)}` : ''}\n`,
      );
    }
  }
  return ExitCode.Ok;
}

async function kubeconfigClusters(): Promise<string[]> {
  try {
    const files = await readdir(kubeconfigDirectory());
    return files.filter((f) => f.endsWith('.kubeconfig')).map((f) => f.slice(0, -'.kubeconfig'.length));
  } catch {
    return [];
  }
}
